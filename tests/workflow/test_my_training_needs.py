"""/pelatihan-saya/ shows the learner's own training needs and where each stands, so the ASN
sees the loop close ("gap tertutup" after a later evaluation) and not only HR."""

import re

import pytest
from django.urls import reverse

from workflow.models import TrainingNeed

pytestmark = pytest.mark.django_db

N = TrainingNeed.Status


def _need(employee, competency, period, status, reason=""):
    return TrainingNeed.objects.create(
        employee=employee,
        competency=competency,
        period=period,
        required_level=3,
        assessed_level=1,
        gap=2,
        status=status,
        closed_reason=reason,
    )


def _rows(html: str) -> dict[str, str]:
    section = html.split('id="kebutuhan-saya"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r'<th scope="row">([^<]+)</th>(.*?)</tr>', section, re.S)
    return {name.strip(): " ".join(re.sub(r"<[^>]+>", " ", rest).split()) for name, rest in rows}


def test_learner_sees_own_needs_with_status(client, make_employee, period):
    from kompetensi.models import Competency

    me, other = make_employee(), make_employee()
    comps = [
        Competency.objects.create(code=f"M.{i}", name=name, kind="manajerial")
        for i, name in enumerate(["Integritas", "Kerja Sama", "Pelayanan Publik", "Inovasi"], 1)
    ]
    _need(me, comps[0], period, N.OPEN)
    _need(me, comps[1], period, N.ADDRESSED)
    _need(me, comps[2], period, N.CLOSED, "gap tertutup")
    _need(me, comps[3], period, N.DISMISSED, "sudah pindah jabatan")
    _need(other, comps[0], period, N.CLOSED, "gap tertutup")

    client.force_login(me.user)
    html = client.get(reverse("workflow:my_training")).content.decode()
    assert _rows(html) == {
        "M.1 Integritas": "2026 1 → 3 Terbuka",
        "M.2 Kerja Sama": "2026 1 → 3 Ditangani pelatihan",
        "M.3 Pelayanan Publik": "2026 1 → 3 Gap tertutup",
        "M.4 Inovasi": "2026 1 → 3 Ditutup oleh BKPSDM sudah pindah jabatan",
    }

    client.force_login(other.user)
    assert _rows(client.get(reverse("workflow:my_training")).content.decode()) == {
        "M.1 Integritas": "2026 1 → 3 Gap tertutup"
    }


def test_learner_without_needs(client, make_employee):
    client.force_login(make_employee().user)
    html = client.get(reverse("workflow:my_training")).content.decode()
    assert "Belum ada kebutuhan pelatihan." in html
