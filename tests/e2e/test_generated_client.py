"""The API contract from the outside: a Python client generated from our own
``/api/v1/openapi.json`` with openapi-python-client walks the whole loop against the live
server (issue #16), as another government system would integrate:

1. HR opens a period and adds an employee (a counter officer under the demo supervisor);
2. the supervisor evaluates the employee, one level short in Pelayanan Publik (M.5);
3. the gap reads 1 for M.5 and 0 elsewhere; HR runs the recommendation, which proposes the
   module that fits, and approves it with a due date;
4. the learner completes the lessons and, after a failed attempt, passes the quiz: the
   assignment is completed and certified (the certificate is issued on commit);
5. the learner and HR list the certificate, the learner downloads its PDF, HR revokes it;
   the list, the public verification and the PDF (stamped) say so.

Every call goes through the generated package: its operation functions (``sync_detailed``),
request models and parsed response models. The test reaches the ORM only to find the demo
people's NIPs, to issue API tokens (what ``create_api_token`` does) and to read which quiz
choices are right (the API never tells).
The client is generated once per module into a temporary folder, without post hooks (no
formatter run): a few seconds. openapi-python-client missing: the test is skipped, or fails
with SIKAP_REQUIRE_SERVICES=1.
"""

import datetime as dt
import importlib
import json
import pkgutil
import subprocess
import sys
import urllib.request
from http import HTTPStatus
from pathlib import Path

import pytest

from tests.services import require_service

PACKAGE = "sikap_generated_client"
COMPETENCY = "M.5"  # Pelayanan Publik: the demo's front-line position needs level 2
PERIOD = "2027"
NEW_NIP = "199203142021042001"
# What the generator cannot type on its own: the PDF is read as a file (bytes).
GENERATOR_CONFIG = {
    "package_name_override": PACKAGE,
    "post_hooks": [],
    "content_type_overrides": {"application/pdf": "application/octet-stream"},
}


class Generated:
    """The generated package, with its operations found by method and path (so the test
    does not depend on the tag an operation is filed under)."""

    def __init__(self, document: dict) -> None:
        self.models = importlib.import_module(f"{PACKAGE}.models")
        self.client = importlib.import_module(f"{PACKAGE}.client")
        self._clients: list = []
        modules = {}
        api = importlib.import_module(f"{PACKAGE}.api")
        for info in pkgutil.walk_packages(api.__path__, f"{PACKAGE}.api."):
            modules[info.name.rsplit(".", 1)[-1]] = info.name
        self._operations = {
            (method.upper(), path): modules[operation["operationId"]]
            for path, item in document["paths"].items()
            for method, operation in item.items()
        }

    def op(self, method: str, path: str):
        return importlib.import_module(self._operations[(method, f"/api/v1{path}")])

    def call(self, method: str, path: str, *, client, expect: int = 200, **kwargs):
        """``sync_detailed`` of the operation; asserts the status, returns the parsed body."""
        response = self.op(method, path).sync_detailed(client=client, **kwargs)
        assert response.status_code == HTTPStatus(expect), (
            method,
            path,
            response.status_code,
            response.content[:500],
        )
        return response.parsed

    def as_user(self, base_url: str, token: str):
        return self._open(
            self.client.AuthenticatedClient(
                base_url=base_url, token=token, raise_on_unexpected_status=True, timeout=30
            )
        )

    def anonymous(self, base_url: str):
        return self._open(
            self.client.Client(base_url=base_url, raise_on_unexpected_status=True, timeout=30)
        )

    def _open(self, client):
        self._clients.append(client)
        return client

    def close_clients(self) -> None:
        """Close the clients' kept-alive connections while the test still holds the database
        (the live server's request thread closes its database connection when they end)."""
        while self._clients:
            self._clients.pop().get_httpx_client().close()


def _generate(base_url: str, folder: Path) -> Generated:
    """Fetch the live server's OpenAPI document and generate the client package from it."""
    with urllib.request.urlopen(f"{base_url}/api/v1/openapi.json", timeout=30) as reply:
        assert reply.status == 200
        raw = reply.read()
    (folder / "openapi.json").write_bytes(raw)
    (folder / "config.json").write_text(json.dumps(GENERATOR_CONFIG), encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(folder / "openapi.json"),
            "--config",
            str(folder / "config.json"),
            "--meta",
            "none",
            "--output-path",
            str(folder / PACKAGE),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # Every operation and response is generated: a warning means a piece of the contract
    # the client cannot express (an unsupported content type, a schema it cannot read).
    assert "Warning" not in result.stdout, result.stdout
    sys.path.insert(0, str(folder))
    return Generated(json.loads(raw))


@pytest.fixture(scope="module")
def _generated_once(tmp_path_factory):
    """Holds the client generated by the module's first test (once per module); removes it
    from ``sys.path`` and ``sys.modules`` afterwards."""
    try:
        import openapi_python_client  # noqa: F401
    except ImportError:
        require_service(
            "openapi-python-client",
            False,
            "paket dev belum terpasang (pip install -r requirements-dev.txt)",
        )
    folder = tmp_path_factory.mktemp("generated-client")
    cache: dict[str, Generated] = {}
    yield folder, cache
    if str(folder) in sys.path:
        sys.path.remove(str(folder))
    for name in [n for n in sys.modules if n == PACKAGE or n.startswith(f"{PACKAGE}.")]:
        del sys.modules[name]


@pytest.fixture
def generated(_generated_once, demo_data, live_server):
    """The client generated from the live server's own OpenAPI document, importable. The
    document is fetched inside a test (its request reads the database, which the live
    server may only do while a test holds it)."""
    folder, cache = _generated_once
    if "client" not in cache:
        cache["client"] = _generate(live_server.url, folder)
    yield cache["client"]
    cache["client"].close_clients()


def _token(username: str) -> str:
    from django.contrib.auth import get_user_model

    from core.models import ApiToken

    user = get_user_model().objects.get(username=username)
    return ApiToken.issue(user=user, name="generated-client")[1]


def _right_choices(lesson_id: int) -> dict[str, list[str]]:
    """The quiz's right answers per question id, from the lesson page as the trainer wrote it
    (the API never tells which choice is right)."""
    from portal.models import LessonPage

    lesson = LessonPage.objects.get(pk=lesson_id)
    right: dict[str, list[str]] = {}
    for block in lesson.body:
        if block.block_type == "quiz":
            for question in block.value["questions"].bound_blocks:
                right[str(question.id)] = [
                    str(choice.id)
                    for choice in question.value["choices"].bound_blocks
                    if choice.value["correct"]
                ]
    return right


def test_generated_client_walks_the_loop(generated, demo_data, live_server):
    from kompetensi.models import Employee
    from workflow.services import jakarta_today

    g, m = generated, generated.models
    today = jakarta_today()
    url = live_server.url
    supervisor_nip = Employee.objects.get(user__username="atasan").nip
    demo_asn_nip = Employee.objects.get(user__username="asn").nip
    hr = g.as_user(url, _token("hr"))
    supervisor = g.as_user(url, _token("atasan"))

    # 1. HR opens a period and adds a counter officer like the demo ASN. ----------------------
    period = g.call(
        "POST",
        "/periods",
        client=hr,
        expect=201,
        body=m.PeriodIn(
            code=PERIOD,
            name="Penilaian Kompetensi 2027",
            start=dt.date(2027, 1, 1),
            end=dt.date(2027, 12, 31),
        ),
    )
    assert isinstance(period, m.PeriodOut)
    assert (period.code, period.is_open, period.end) == (PERIOD, True, dt.date(2027, 12, 31))
    listed = g.call("GET", "/periods", client=supervisor)
    assert PERIOD in [p.code for p in listed.items]

    model = g.call("GET", "/employees/{nip}", client=hr, nip=demo_asn_nip)
    employee = g.call(
        "POST",
        "/employees",
        client=hr,
        expect=201,
        body=m.EmployeeIn(
            nip=NEW_NIP,
            name="Rina Kartika, S.AP.",
            unit_code=model.unit_code,
            position_code=model.position_code,
            rank="III/a",
            supervisor_nip=supervisor_nip,
            employee_type=m.EmployeeInEmployeeType.PNS,
        ),
    )
    assert isinstance(employee, m.EmployeeOut)
    assert (employee.nip, employee.supervisor_nip) == (NEW_NIP, supervisor_nip)
    assert employee.position_code == model.position_code
    duplicate = g.op("POST", "/employees").sync_detailed(
        client=hr,
        body=m.EmployeeIn(nip=NEW_NIP, name="Ganda", unit_code=model.unit_code),
    )
    assert duplicate.status_code == HTTPStatus.CONFLICT
    assert isinstance(duplicate.parsed, m.ErrorOut) and duplicate.parsed.detail
    learner = g.as_user(url, _token(NEW_NIP))  # the account the API created (username = NIP)

    # 2. The supervisor evaluates: every requirement met except M.5, one level short. ----------
    profile = g.call("GET", "/employees/{nip}/competencies", client=supervisor, nip=NEW_NIP)
    required = {row.competency_code: row.required_level for row in profile}
    assert required[COMPETENCY] == 2, required
    assert all(row.assessed_level is None for row in profile), profile
    levels = {code: level for code, level in required.items() if level}
    levels[COMPETENCY] = required[COMPETENCY] - 1
    evaluation = g.call(
        "POST",
        "/evaluations",
        client=supervisor,
        expect=201,
        body=m.EvaluationIn(
            employee_nip=NEW_NIP,
            period_code=PERIOD,
            source=m.EvaluationInSource.SUPERVISOR,
            scores=[m.ScoreIn(competency_code=c, level=lv) for c, lv in levels.items()],
            finalize=True,
        ),
    )
    assert evaluation.status == "final"
    read_back = g.call(
        "GET", "/evaluations/{evaluation_id}", client=hr, evaluation_id=evaluation.id
    )
    assert (read_back.employee_nip, read_back.period_code) == (NEW_NIP, PERIOD)
    assert {s.competency_code: s.level for s in read_back.scores} == levels

    # 3. The gap, the recommendation, HR's approval. ------------------------------------------
    gaps = {
        row.competency_code: (row.required_level, row.assessed_level, row.gap)
        for row in g.call("GET", "/employees/{nip}/competencies", client=learner, nip=NEW_NIP)
    }
    assert gaps[COMPETENCY] == (2, 1, 1), gaps
    assert {c: gap for c, (_r, _a, gap) in gaps.items() if gap} == {COMPETENCY: 1}, gaps

    recommended = g.call("POST", "/periods/{code}/recommend", client=hr, code=PERIOD)
    assert isinstance(recommended, m.RecommendOut)
    assert recommended.needs >= 1 and recommended.recommended >= 1, recommended
    again = g.call("POST", "/periods/{code}/recommend", client=hr, code=PERIOD)
    assert (again.needs, again.recommended) == (0, 0)  # a second run creates nothing

    assignments = g.call("GET", "/employees/{nip}/assignments", client=hr, nip=NEW_NIP)
    assert assignments.count == 1, assignments
    proposal = assignments.items[0]
    assert (proposal.status, proposal.progress_percent) == ("recommended", 0)
    module = g.call("GET", "/modules/{module_id}", client=learner, module_id=proposal.module_id)
    assert module.title == proposal.module_title
    targets = {c.code: c.target_level for c in module.competencies}
    assert targets.get(COMPETENCY, 0) >= required[COMPETENCY], targets

    due = today + dt.timedelta(days=14)
    approved = g.call(
        "POST",
        "/assignments/{assignment_id}/approve",
        client=hr,
        assignment_id=proposal.id,
        body=m.ApproveIn(due_date=due),
    )
    assert (approved.id, approved.status, approved.due_date) == (proposal.id, "assigned", due)
    again = g.op("POST", "/assignments/{assignment_id}/approve").sync_detailed(
        client=hr, assignment_id=proposal.id, body=m.ApproveIn()
    )
    assert again.status_code == HTTPStatus.CONFLICT, again.content  # not twice

    # 4. The learner completes the lessons and the quiz. --------------------------------------
    lessons = [
        g.call("GET", "/lessons/{lesson_id}", client=learner, lesson_id=ref.id)
        for ref in module.lessons
    ]
    quiz_lessons = [lesson for lesson in lessons if lesson.quiz]
    assert len(quiz_lessons) == 1 and len(lessons) >= 2, [lesson.title for lesson in lessons]
    (quiz_lesson,) = quiz_lessons
    last_percent = 0
    for lesson in lessons:
        if lesson is quiz_lesson:
            continue
        done = g.call("POST", "/lessons/{lesson_id}/complete", client=learner, lesson_id=lesson.id)
        assert done.assignment_status == "in_progress", done
        assert done.progress_percent > last_percent, (done, last_percent)
        last_percent = done.progress_percent
    assert last_percent < 100

    right = _right_choices(quiz_lesson.id)
    assert set(right) == {q.question_id for q in quiz_lesson.quiz}
    wrong = {
        q.question_id: [next(c.id for c in q.choices if c.id not in right[q.question_id])]
        for q in quiz_lesson.quiz
    }
    failed = g.call(
        "POST",
        "/lessons/{lesson_id}/quiz",
        client=learner,
        lesson_id=quiz_lesson.id,
        body=m.QuizIn(answers=m.QuizInAnswers.from_dict(wrong)),
    )
    assert (failed.score_percent, failed.passed, failed.best_score_percent) == (0, False, 0)
    passed = g.call(
        "POST",
        "/lessons/{lesson_id}/quiz",
        client=learner,
        lesson_id=quiz_lesson.id,
        body=m.QuizIn(answers=m.QuizInAnswers.from_dict(right)),
    )
    assert (passed.score_percent, passed.passed, passed.best_score_percent) == (100, True, 100)

    # The certificate is issued when the quiz's transaction commits (Celery eager here).
    (finished,) = g.call("GET", "/employees/{nip}/assignments", client=learner, nip=NEW_NIP).items
    assert (finished.status, finished.progress_percent) == ("certified", 100), finished
    number = finished.certificate_number
    assert number and number.endswith(f"/SIKAP/{today.year}"), number

    # 5. The certificate: listed, downloaded, revoked. ----------------------------------------
    (mine,) = g.call("GET", "/employees/{nip}/certificates", client=learner, nip=NEW_NIP).items
    assert (mine.number, mine.module_title, mine.jp, mine.revoked) == (
        number,
        module.title,
        module.jp,
        False,
    )
    assert mine.issued_at.utcoffset() == dt.timedelta(hours=7)
    assert mine.pdf_url.endswith(f"/api/v1/certificates/{number}/pdf"), mine.pdf_url
    in_scope = g.call(
        "GET",
        "/certificates",
        client=hr,
        unit_code=model.unit_code,
        year=today.year,
        revoked=False,
        limit=500,
    )
    (listed,) = [c for c in in_scope.items if c.number == number]
    assert (listed.nip, listed.holder_name) == (NEW_NIP, employee.name)

    pdf = g.call("GET", "/certificates/{number}/pdf", client=learner, number=number)
    original = pdf.payload.read()
    assert original.startswith(b"%PDF-"), original[:20]

    revoked = g.call(
        "POST",
        "/certificates/{number}/revoke",
        client=hr,
        number=number,
        body=m.RevokeIn(reason="Data peserta keliru"),
    )
    assert (revoked.number, revoked.revoked, revoked.reason) == (
        number,
        True,
        "Data peserta keliru",
    )
    twice = g.op("POST", "/certificates/{number}/revoke").sync_detailed(
        client=hr, number=number, body=m.RevokeIn(reason="Lagi")
    )
    assert twice.status_code == HTTPStatus.CONFLICT, twice.content

    (mine,) = g.call("GET", "/employees/{nip}/certificates", client=learner, nip=NEW_NIP).items
    assert (mine.number, mine.revoked) == (number, True)
    revoked_list = g.call(
        "GET", "/certificates", client=hr, unit_code=model.unit_code, revoked=True, limit=500
    )
    assert number in [c.number for c in revoked_list.items]
    anonymous = g.anonymous(url)
    code = mine.verify_url.rstrip("/").rsplit("/", 1)[-1]
    verified = g.call("GET", "/certificates/verify/{code}", client=anonymous, code=code)
    assert (verified.number, verified.valid, verified.revoked, verified.status) == (
        number,
        False,
        True,
        "revoked",
    )
    stamped = g.call(
        "GET", "/certificates/{number}/pdf", client=learner, number=number
    ).payload.read()
    assert stamped.startswith(b"%PDF-") and stamped != original
