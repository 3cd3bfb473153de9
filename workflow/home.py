"""What HR (BKPSDM) finds to do on the home page (``core.hooks.HOME_PANELS``, registered in
``WorkflowConfig.ready``): pending recommendations and external-learning records awaiting
review in the officer's units, with the HR pages they start from (imports, periods).

The counts come from the selectors the lists themselves use (``recommendation_list``,
``external_managed_by``), so the number on the home page is the number of rows on the page it
links to. Two queries for an HR officer, none for anyone else."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .external import external_managed_by
from .permissions import can_manage_assignments
from .selectors import recommendation_list


def hr_home_panels(user) -> list[dict]:
    if not can_manage_assignments(user):
        return []
    recommended = recommendation_list(user=user).order_by().count()
    external = external_managed_by(user).order_by().count()
    items = [
        {
            "text": ngettext(
                "%(n)d rekomendasi pelatihan menunggu persetujuan",
                "%(n)d rekomendasi pelatihan menunggu persetujuan",
                recommended,
            )
            % {"n": recommended},
            "count": recommended,
            "url": reverse("workflow:recommendations"),
        },
        {
            "text": ngettext(
                "%(n)d pembelajaran eksternal menunggu pemeriksaan",
                "%(n)d pembelajaran eksternal menunggu pemeriksaan",
                external,
            )
            % {"n": external},
            "count": external,
            "url": reverse("workflow:external_review"),
        },
    ]
    return [
        {
            "id": "tugas-sdm",
            "title": _("Tugas BKPSDM"),
            "items": items,
            "links": [
                {"text": _("Impor pegawai"), "url": reverse("kompetensi:employee_import")},
                {"text": _("Impor hasil SKP"), "url": reverse("kompetensi:skp_import")},
                {"text": _("Periode penilaian"), "url": reverse("kompetensi:periods")},
                {"text": _("Dashboard SDM"), "url": reverse("reports:sdm_overview")},
            ],
        }
    ]
