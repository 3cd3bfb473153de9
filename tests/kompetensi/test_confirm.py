"""Irreversible acts of the kompetensi screens ask first (issue #17, core/confirm.py):
finalising an evaluation, closing a period, committing an import. An unconfirmed POST writes
nothing and says what cannot be undone; the confirmed POST acts; the confirmation is refused
to whoever may not act."""

from kompetensi.models import Employee, Evaluation, EvaluationPeriod

from .test_views import GOOD, _login, _upload

CSP_UNSAFE = ("<script>", "style=")


def _no_inline(html: str) -> None:
    main = html.split("<main", 1)[1]
    assert not any(bad in main for bad in CSP_UNSAFE)


def test_finalising_an_evaluation_asks_first(world, client):
    _login(client, world.staff.user)
    url = "/kinerja-saya/penilaian-diri/2026/"
    fields = {f"c{c.pk}": "3" for c in (world.comm, world.serv, world.tek)}
    res = client.post(url, {**fields, "kirim": "1"})
    html = res.content.decode()
    assert res.status_code == 200
    assert "Kirim penilaian sebagai final?" in html and "tidak dapat diubah lagi" in html
    assert "Ya, kirim (final)" in html and "Batal" in html
    assert f'name="c{world.comm.pk}" value="3"' in html  # carried to the confirming form
    assert 'name="confirmed" value="1"' in html
    _no_inline(html)
    assert not Evaluation.objects.filter(employee=world.staff).exists()
    # "Batal": back to the form, the answers kept, nothing saved
    res = client.post(url, {**fields, "kirim": "1", "kembali": "1"})
    html = res.content.decode()
    assert res.status_code == 200 and f'id="c{world.comm.pk}-3"' in html
    assert 'value="3" checked' in html
    assert not Evaluation.objects.filter(employee=world.staff).exists()
    # confirmed: final
    assert client.post(url, {**fields, "kirim": "1", "confirmed": "1"}).status_code == 302
    assert Evaluation.objects.get(employee=world.staff, source="self").status == "final"


def test_a_draft_does_not_ask(world, client):
    _login(client, world.staff.user)
    url = "/kinerja-saya/penilaian-diri/2026/"
    assert client.post(url, {f"c{world.comm.pk}": "2", "simpan": "1"}).status_code == 302
    assert Evaluation.objects.get(employee=world.staff).status == "draft"


def test_supervisor_confirmation_is_refused_to_others(world, client):
    fields = {f"c{c.pk}": "2" for c in (world.comm, world.serv, world.tek)}
    url = f"/tim-saya/{world.staff.nip}/penilaian/2026/"
    _login(client, world.outsider)
    assert client.post(url, {**fields, "kirim": "1"}).status_code == 404
    _login(client, world.atasan.user)
    res = client.post(url, {**fields, "kirim": "1"})
    assert res.status_code == 200 and world.staff.name in res.content.decode()
    assert not Evaluation.objects.exists()


def test_closing_a_period_asks_first(world, client):
    _login(client, world.hr)
    res = client.post("/sdm/periode/2026/status/", {"open": "0"})
    html = res.content.decode()
    assert res.status_code == 200
    assert "Tutup periode 2026?" in html and "Ya, tutup periode 2026" in html
    assert "Tidak dapat dibatalkan" in html and 'href="/sdm/periode/"' in html
    _no_inline(html)
    assert EvaluationPeriod.objects.get(code="2026").is_open
    assert (
        client.post("/sdm/periode/2026/status/", {"open": "0", "confirmed": "1"}).status_code == 302
    )
    assert not EvaluationPeriod.objects.get(code="2026").is_open
    # opening again is not irreversible: it does not ask
    assert client.post("/sdm/periode/2026/status/", {"open": "1"}).status_code == 302
    assert EvaluationPeriod.objects.get(code="2026").is_open


def test_closing_confirmation_refused_like_the_act(world, client):
    _login(client, world.hr_kes)  # HR of one unit: may not manage periods
    assert client.post("/sdm/periode/2026/status/", {"open": "0"}).status_code == 403
    _login(client, world.staff.user)
    assert client.post("/sdm/periode/2026/status/", {"open": "0"}).status_code == 403
    assert EvaluationPeriod.objects.get(code="2026").is_open


def test_committing_an_import_asks_first(world, client):
    _login(client, world.hr)
    html = _upload(client, GOOD.encode()).content.decode()
    # the preview is the confirmation: what will happen, what cannot be undone
    assert "Impor 2 baris sekarang?" in html and "Impor tidak dapat dibatalkan" in html
    assert "Ya, impor 2 baris" in html and 'name="confirmed" value="1"' in html
    token = client.session["kompetensi_import_file"]
    before = Employee.objects.count()
    # a commit without the confirmation shows the preview and its confirmation again
    res = client.post("/sdm/impor-pegawai/", {"action": "commit", "token": token})
    html = res.content.decode()
    assert res.status_code == 200 and "Ya, impor 2 baris" in html
    assert "Andi Saputra" in html
    assert Employee.objects.count() == before
    res = client.post("/sdm/impor-pegawai/", {"action": "commit", "token": token, "confirmed": "1"})
    assert res.status_code == 302
    assert Employee.objects.count() == before + 2


def test_import_confirmation_refused_without_hr_authority(world, client):
    _login(client, world.staff.user)
    res = client.post("/sdm/impor-pegawai/", {"action": "commit", "token": "x"})
    assert res.status_code == 403
