"""Group names and role checks. Lives in kompetensi (which imports no other app of ours);
``portal.permissions`` re-exports these for the site."""

GROUP_ASN = "ASN"
GROUP_TRAINER = "Pelatih"
GROUP_REVIEWER = "Reviewer Konten"
GROUP_HR = "BKPSDM"


def _group_names(user) -> frozenset[str]:
    cached = getattr(user, "_sikap_groups", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._sikap_groups = cached
    return cached


def in_group(user, name: str) -> bool:
    return bool(user and user.is_authenticated and name in _group_names(user))


def is_hr(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or in_group(user, GROUP_HR)))


def is_trainer(user) -> bool:
    return in_group(user, GROUP_TRAINER)


def is_reviewer(user) -> bool:
    return in_group(user, GROUP_REVIEWER)
