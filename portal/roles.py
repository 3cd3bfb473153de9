"""The four groups and the model permissions each needs.

Groups are created by a data migration (portal 0002); their permissions are (re)synchronised
after every ``migrate`` by ``sync_group_permissions`` so that permissions of models added later
are granted too. Extend ``GROUP_PERMISSIONS`` when a module adds a model a group must manage."""

GROUPS = ("ASN", "Pelatih", "Reviewer Konten", "BKPSDM")

_HR_MODELS = {
    "kompetensi": [
        "organizationunit",
        "competency",
        "competencylevel",
        "position",
        "positionrequirement",
        "employee",
        "evaluationperiod",
        "evaluation",
        "competencyscore",
        "skpresult",
        "employeecompetency",
        "servicepoint",
        "servicefeedback",
    ],
    "workflow": [
        "trainingneed",
        "assignment",
        "certificate",
        "notification",
        "certificatetemplate",
    ],
    "forum": ["category", "forum"],
}

GROUP_PERMISSIONS: dict[str, set[str]] = {
    "ASN": set(),
    "Pelatih": {
        "wagtailadmin.access_admin",
        "wagtailimages.add_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.choose_document",
    },
    "Reviewer Konten": {
        "wagtailadmin.access_admin",
        "wagtailimages.choose_image",
        "wagtaildocs.choose_document",
    },
    "BKPSDM": {
        "wagtailadmin.access_admin",
        *(
            f"{app}.{action}_{model}"
            for app, models in _HR_MODELS.items()
            for model in models
            for action in ("add", "change", "delete", "view")
        ),
        "portal.view_apitoken",
        "portal.change_apitoken",
        # the certificate template's background image (workflow.CertificateTemplate)
        "wagtailimages.add_image",
        "wagtailimages.choose_image",
        "kompetensi.view_accesslog",  # audit log: read-only (security)
    },
}


def sync_group_permissions(**_kwargs) -> None:
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    for group_name, perms in GROUP_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        if not perms:
            continue
        query = Q()
        for perm in perms:
            app_label, codename = perm.split(".", 1)
            query |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.add(*Permission.objects.filter(query))
