"""Forum in a real browser: the demo ASN asks in a module's forum, the trainer answers, the
asker is notified and marks the answer; a script payload shows as harmless text."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import DEFAULT_TIMEOUT_MS, login

XSS = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2"> [klik](javascript:window.__xss=3)'


def _module_forum_slug() -> str:
    """The forum of a live module (the demo's, or one published here with 'pelatih')."""
    from django.contrib.auth import get_user_model

    from forum.models import Forum
    from portal.models import TrainingModulePage
    from portal.site import ensure_page_tree

    forum = Forum.objects.filter(module__isnull=False).order_by("pk").first()
    if forum is None:
        catalog = ensure_page_tree()["catalog"]
        page = TrainingModulePage(
            title="Pelayanan Prima", slug="pelayanan-prima-e2e", summary="Ringkasan.", jp=4
        )
        catalog.add_child(instance=page)
        page.save_revision().publish()  # page_published → the module's forum
        forum = Forum.objects.get(module=page)
    trainer = get_user_model().objects.get(username="pelatih")
    module = forum.module
    module.trainers.add(trainer)  # a parental many-to-many: written when the page is saved
    module.save()
    return forum.slug


@pytest.fixture
def second_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="id-ID", viewport={"width": 360, "height": 800}
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, errors


def test_ask_answer_notify_mark_answer_and_script_is_text(page, second_page, demo_data):
    slug = _module_forum_slug()

    # 1. The demo ASN asks a question in the module's forum.
    login(page, "asn", demo_data)
    page.goto("/forum/")
    page.locator(f"a[href='/forum/{slug}/']").first.click()
    page.get_by_role("link", name="Buat topik baru").click()
    page.get_by_label("Judul topik").fill("Kuis pelajaran 2 tidak bisa dikirim")
    page.get_by_label("Isi").fill("Saat menekan **Kirim**, halaman kembali ke awal. Ada yang sama?")
    page.get_by_role("button", name="Terbitkan topik").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kuis pelajaran 2 tidak bisa dikirim")
    topic_url = page.url

    # 2. The trainer (another browser, phone width) answers.
    login(second_page, "pelatih", demo_data)
    second_page.goto(topic_url)
    second_page.get_by_label("Balasan Anda").fill(
        "Muat ulang halaman lalu isi semua soal; tombol **Kirim** aktif setelah semua terjawab."
    )
    second_page.get_by_role("button", name="Kirim balasan").click()
    expect(second_page.locator("article.post")).to_have_count(2)

    # 3. The asker is notified and marks the reply as the answer.
    page.goto("/notifikasi/")
    expect(page.get_by_text(re.compile("Balasan baru di “Kuis pelajaran 2"))).to_be_visible()
    page.goto(topic_url)
    answer = page.locator("article.post").nth(1)
    answer.get_by_role("button", name="Tandai sebagai jawaban").click()
    expect(page.locator("article.post-answer")).to_contain_text("tombol Kirim aktif")
    expect(page.get_by_text("Terjawab — lihat jawaban")).to_be_visible()

    # The trainer replies to the asker's follow-up and is notified in turn.
    page.get_by_label("Balasan Anda").fill("Berhasil, terima kasih Pak!")
    page.get_by_role("button", name="Kirim balasan").click()
    second_page.goto("/notifikasi/")
    expect(second_page.get_by_text(re.compile("Balasan baru di “Kuis pelajaran 2"))).to_be_visible()

    # 4. A script payload is shown as text and never runs.
    second_page.goto(topic_url)
    second_page.get_by_label("Balasan Anda").fill(XSS)
    second_page.get_by_role("button", name="Kirim balasan").click()
    page.goto(topic_url)
    last = page.locator("article.post").last
    expect(last).to_contain_text("<script>window.__xss = 1</script>")
    expect(last.locator(".post-body script, .post-body img")).to_have_count(0)
    assert last.locator(".post-body a").get_attribute("href") is None
    assert page.evaluate("() => window.__xss") is None


@pytest.mark.parametrize("width", [360, 1280])
def test_forum_pages_are_accessible(page, demo_data, axe_check, width):
    from forum.models import Topic

    topic = Topic.objects.filter(forum__slug="tanya-jawab-kepegawaian").order_by("pk").first()
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "hr", demo_data)
    for path in (
        "/forum/",
        "/forum/pelayanan-publik/",
        f"/forum/topik/{topic.pk}/",
        "/forum/moderasi/",
    ):
        page.goto(path)
        assert not (found := axe_check(page)), f"{path} ({width} px): {found!r}"
    # No horizontal scrolling on a phone.
    if width == 360:
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 360 + 1
