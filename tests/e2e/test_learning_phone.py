"""Learning on a phone and a desk (issue 17, "Forms and learning on a phone"): the quiz gives
right/wrong with explanations after an attempt, keeps the answers, gives partial credit where
allowed, and celebrates the module's completion; the catalogue filters fit 360 px; tap targets
are at least 24 px; the forum highlights @mentions; the notification list; the import page's
template links. Screenshots in /work/notes/shots/ when that folder exists."""

from pathlib import Path

import pytest

from .conftest import axe_check, login

SHOTS = Path("/work/notes/shots")
WIDTHS = (360, 1280)


def _shot(page, name: str) -> None:
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _no_overflow(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


SMALL_TARGETS = """
() => Array.from(document.querySelectorAll(
  'main button, main input[type=checkbox], main input[type=radio], main select, '
  + 'main .button, main .pagination a, main .link-button, .bell'))
  .filter(e => e.offsetParent !== null)
  .map(e => [e.outerHTML.slice(0, 80), e.getBoundingClientRect()])
  .filter(([h, r]) => r.width > 0 && (r.height < 24 || r.width < 24))
  .map(([h, r]) => `${h} ${Math.round(r.width)}x${Math.round(r.height)}`)
"""


def _quiz_module():
    """A live module of the demo catalogue with one lesson: a quiz with partial credit."""
    from portal.models import LessonPage, TrainingCatalogPage, TrainingModulePage
    from tests.portal.conftest import quiz_body

    catalog = TrainingCatalogPage.objects.get()
    module = TrainingModulePage(
        title="Kuis di Ponsel", slug="kuis-di-ponsel", summary="Uji kuis.", jp=2, live=True
    )
    catalog.add_child(instance=module)
    body = quiz_body()
    body[1]["value"]["partial_credit"] = True
    module.add_child(instance=LessonPage(title="Kuis singkat", slug="kuis", body=body))
    return LessonPage.objects.get(slug="kuis", path__startswith=module.path).url


@pytest.mark.parametrize("width", WIDTHS)
def test_quiz_feedback_and_celebration(page, demo_data, width):
    url = _quiz_module()
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "asn", demo_data)
    page.goto(url)
    assert page.locator(".quiz-verdict").count() == 0
    assert "Penjelasan rahasia" not in page.content()
    _shot(page, f"kuis-sebelum-{width}")
    # First attempt: single wrong, multiple half right (partial credit): 25 %.
    page.check("input[name='answer-q-single'][value='a2']")
    page.check("input[name='answer-q-multi'][value='b1']")
    page.click("form.quiz-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".quiz-wrong").count() == 1
    assert page.locator(".quiz-partial").count() == 1
    assert page.locator("input[name='answer-q-single'][value='a2']").is_checked()
    assert page.locator("input[name='answer-q-multi'][value='b1']").is_checked()
    assert page.locator(".quiz-explanation").count() == 2
    _no_overflow(page)
    assert page.evaluate(SMALL_TARGETS) == []
    assert axe_check(page) == []
    _shot(page, f"kuis-hasil-{width}")
    # Second attempt: all right, the module's last requirement: celebration.
    page.check("input[name='answer-q-single'][value='a1']")
    page.check("input[name='answer-q-multi'][value='b2']")
    page.click("form.quiz-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#modul-selesai").is_visible()
    assert page.locator(".quiz-right").count() == 2
    _no_overflow(page)
    assert axe_check(page) == []
    _shot(page, f"kuis-modul-selesai-{width}")


@pytest.mark.parametrize("width", WIDTHS)
def test_pages_fit_and_have_big_targets(page, demo_data, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "asn", demo_data)
    for name, path in (
        ("katalog", "/katalog/"),
        ("pelatihan-saya", "/pelatihan-saya/"),
        ("notifikasi", "/notifikasi/"),
        ("forum", "/forum/"),
    ):
        page.goto(path)
        _no_overflow(page)
        assert page.evaluate(SMALL_TARGETS) == [], path
        _shot(page, f"{name}-{width}")
    page.goto("/katalog/")
    # Each catalogue filter shows its label and its select whole (not cut off).
    cut = page.evaluate(
        """() => Array.from(document.querySelectorAll('.catalog-filters select, .catalog-filters input, .catalog-filters label'))
          .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5
                    || (e.tagName === 'LABEL' && e.scrollWidth > e.clientWidth + 1))
          .map(e => e.outerHTML.slice(0, 60))"""
    )
    assert cut == []
    # No select is narrower than its chosen option's text (a cut "Semua kom…").
    narrow = page.evaluate(
        """() => Array.from(document.querySelectorAll('.catalog-filters select')).filter(s => {
             const c = document.createElement('canvas').getContext('2d');
             c.font = getComputedStyle(s).font;
             const text = s.options[s.selectedIndex].text;
             return c.measureText(text).width + 40 > s.clientWidth; }).map(s => s.name)"""
    )
    assert narrow == []


@pytest.mark.parametrize("width", WIDTHS)
def test_import_page_template(page, demo_data, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "hr", demo_data)
    page.goto("/sdm/impor-pegawai/")
    assert page.locator("a[href$='templat.xlsx']").is_visible()
    assert page.locator("#akun-pegawai").is_visible()
    _no_overflow(page)
    _shot(page, f"impor-pegawai-{width}")
