"""XSS corpus in a real browser: hostile text stored in forum topics and posts, citizen
survey comments, an employee's name, a module's and a lesson's title and summary, a
certificate's holder name; every page that shows them is opened in Chromium.

Passes when no dialog fires (every payload calls ``alert``), no request leaves this machine
(the shared ``page`` fixture aborts and fails on those, and on console errors such as a CSP
violation from an injected inline script), and the names/titles show as plain text."""

import pytest

from .conftest import login

MARK = "XSSMARK"
PAYLOADS = [
    '<script>alert("x1")</script>',
    '<img src=x onerror=alert("x2")>',
    "<svg onload=alert('x3')>",
    '"><script>alert("x4")</script>',
    "' onmouseover='alert(5)' data-x='",
    '{{ 7|add:"1" }}{% now "Y" %}',
    "[tautan](javascript:alert(6))",
    '<a href="javascript:alert(7)">klik</a>',
    '<iframe src="https://evil.example/"></iframe>',
    '<img src="https://evil.example/x.png">',
    '<style>@import "https://evil.example/a.css";</style>',
]
# Short enough for a name (max lengths), hostile enough: tag, attribute break, template.
NAME = f'{MARK} <img src=x onerror=alert(1)> "><svg onload=alert(2)> {{{{7*7}}}}'
BODY = f"{MARK} pertanyaan\n\n" + "\n\n".join(PAYLOADS)


def _plant(demo_password):
    """Store the corpus through the product's services where there is one."""
    from django.contrib.auth import get_user_model

    from forum import services as forum_services
    from forum.models import Forum, Post
    from kompetensi.models import Employee
    from portal.models import LessonPage, TrainingModulePage
    from skm.models import ServiceFeedback
    from workflow.models import Certificate

    User = get_user_model()
    asn = User.objects.get(username="asn")
    emp = Employee.objects.get(user=asn)
    Employee.objects.filter(pk=emp.pk).update(name=NAME)
    User.objects.filter(pk=asn.pk).update(first_name=NAME[:150])
    forum = Forum.objects.filter(is_public=True).order_by("pk").first()
    topic = forum_services.topic_create(forum=forum, author=asn, title=NAME[:150], body=BODY)
    forum_services.post_create(topic=topic, author=asn, body=BODY)
    assert Post.objects.filter(topic=topic).count() >= 1
    ServiceFeedback.objects.filter(
        pk__in=list(ServiceFeedback.objects.order_by("-pk").values_list("pk", flat=True)[:20])
    ).update(comment=BODY[:2000])
    module = TrainingModulePage.objects.live().order_by("pk").first()
    lesson = LessonPage.objects.live().descendant_of(module).order_by("path").first()
    TrainingModulePage.objects.filter(pk=module.pk).update(title=NAME, summary=BODY[:500])
    LessonPage.objects.filter(pk=lesson.pk).update(title=NAME)
    cert = Certificate.objects.order_by("pk").first()
    if cert is not None:
        Certificate.objects.filter(pk=cert.pk).update(holder_name=NAME, module_title=NAME)
    module.refresh_from_db()
    lesson.refresh_from_db()
    return {
        "topic": f"/forum/topik/{topic.pk}/",
        "search": f"/forum/cari/?q={MARK}",
        "employee": f"/sdm/pegawai/{emp.nip}/",
        "module": module.url,
        "lesson": lesson.url,
        "catalog": module.get_parent().url,
        "verify": f"/verifikasi/{cert.verification_code}/" if cert else None,
    }


def _visit(page, url, dialogs, *, expect_name=True):
    page.goto(url)
    page.wait_for_load_state("load")
    page.mouse.move(5, 5)
    page.hover("body")
    assert not dialogs, f"{url}: dialog fired {dialogs}"
    assert page.evaluate("() => document.querySelectorAll('main script, main iframe').length") == 0
    text = page.inner_text("body")
    assert MARK in text, f"{url}: the stored text is not shown"
    if expect_name:
        assert "<img src=x onerror=alert(1)>" in text, f"{url}: the name is not shown as text"
    assert "49" not in text.split(MARK, 1)[1][:80], f"{url}: a template was evaluated"


@pytest.mark.slow
def test_xss_corpus_never_executes(page, demo_data):
    urls = _plant(demo_data)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    login(page, "asn")
    for key in ("topic", "search", "catalog", "module", "lesson"):
        _visit(page, urls[key], dialogs, expect_name=key in ("topic", "catalog", "module"))
    _visit(page, "/kinerja-saya/", dialogs)
    if urls["verify"]:
        _visit(page, urls["verify"], dialogs)

    page.context.clear_cookies()
    login(page, "atasan")
    _visit(page, "/tim-saya/", dialogs)

    page.context.clear_cookies()
    login(page, "hr")
    _visit(page, urls["employee"], dialogs)
    _visit(page, "/sdm/umpan-balik/", dialogs, expect_name=False)
    _visit(page, urls["topic"], dialogs)
