"""Admin forms of the training pages (``base_form_class``).

The module's trainers are chosen among the active members of the Pelatih group, shown by full
name (the username only to tell two people of the same name apart); a trainer already on the
module stays in the list so that saving never drops them silently."""

from __future__ import annotations

from collections import Counter

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.admin.forms import WagtailAdminPageForm

from core.roles import GROUP_TRAINER


def trainer_choices(current_ids=()):
    """Active Pelatih members, plus whoever is already chosen, ordered by name."""
    users = get_user_model().objects
    return (
        users.filter(Q(groups__name=GROUP_TRAINER, is_active=True) | Q(pk__in=list(current_ids)))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def trainer_labels(users) -> dict[int, str]:
    """``{pk: label}``: the full name, or the username without one; a name two people share
    gets the username in brackets."""
    names = {u.pk: (u.get_full_name().strip() or u.username) for u in users}
    taken = Counter(names.values())
    return {
        u.pk: names[u.pk] if taken[names[u.pk]] == 1 else f"{names[u.pk]} ({u.username})"
        for u in users
    }


class TrainingModulePageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields.get("trainers")
        if field is None:
            return
        current = [u.pk for u in self.instance.trainers.all()] if self.instance.pk else []
        field.queryset = trainer_choices(current)
        labels = trainer_labels(list(field.queryset))
        field.label_from_instance = lambda user: labels.get(user.pk, user.get_username())
