"""API.md "Additions (v1, second round)": GET/PATCH /periods, GET /evaluations (list, one),
POST /evaluations/{id}/finalize — each role, bad input writes nothing, query counts."""

from datetime import date

import pytest

from kompetensi import services
from kompetensi.models import EmployeeCompetency, Evaluation, EvaluationPeriod

from .conftest import NIP_STAFF


@pytest.fixture
def roles(world, make_user):
    """Every role of the brief, by name (None = anonymous)."""
    hr_duk = make_user("hr_duk", "ASN", "BKPSDM", hr_units=[world.duk])
    return {
        "hr": world.hr,
        "hr_duk": hr_duk,
        "hr_other": world.hr_kes,
        "employee": world.staff.user,
        "supervisor": world.atasan.user,
        "asn": world.outsider,
        "anon": None,
    }


def _writer(world, source):
    return {"self": world.staff.user, "supervisor": world.atasan.user}.get(source, world.hr)


def _levels(employee) -> dict:
    """The employee's materialised profile: competency code → level (None: not assessed)."""
    rows = EmployeeCompetency.objects.filter(employee=employee)
    return dict(rows.values_list("competency__code", "assessed_level"))


def _evaluation(world, source, *, finalize=False):
    return services.evaluation_save(
        actor=_writer(world, source),
        employee=world.staff,
        period=world.period,
        source=source,
        scores=[(world.comm, 3), (world.serv, 2)],
        finalize=finalize,
    )


@pytest.fixture
def evaluations(world):
    return {s: _evaluation(world, s) for s in ("self", "supervisor", "peer", "assessment")}


# -- periods ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role,status",
    [
        ("hr", 200),
        ("hr_duk", 200),
        ("hr_other", 200),
        ("employee", 200),
        ("supervisor", 200),
        ("asn", 200),
        ("anon", 401),
    ],
)
def test_period_list_any_signed_in_user(world, roles, api, role, status):
    res = api(roles[role]).get("/periods")
    assert res.status_code == status
    if status == 200:
        body = res.json()
        assert body["count"] == 2
        assert [p["code"] for p in body["items"]] == ["2026", "2025"]  # newest first
        assert body["items"][0] == {
            "code": "2026",
            "name": "Periode 2026",
            "start": "2026-01-01",
            "end": "2026-12-31",
            "is_open": True,
        }


@pytest.mark.parametrize(
    "role,status",
    [
        ("hr", 200),
        ("hr_duk", 403),
        ("hr_other", 403),
        ("employee", 403),
        ("supervisor", 403),
        ("asn", 403),
        ("anon", 401),
    ],
)
def test_period_patch_city_wide_hr_only(world, roles, api, role, status):
    res = api(roles[role]).patch("/periods/2026", {"name": "Periode Baru", "is_open": False})
    assert res.status_code == status, res.content
    period = EvaluationPeriod.objects.get(code="2026")
    if status == 200:
        assert res.json() == {
            "code": "2026",
            "name": "Periode Baru",
            "start": "2026-01-01",
            "end": "2026-12-31",
            "is_open": False,
        }
        assert (period.name, period.is_open) == ("Periode Baru", False)
    else:
        assert (period.name, period.is_open) == ("Periode 2026", True)
        assert "detail" in res.json()


def test_period_patch_unknown_is_404(world, api):
    assert api(world.hr).patch("/periods/1999", {"name": "x"}).status_code == 404
    assert api(world.staff.user).patch("/periods/1999", {"name": "x"}).status_code == 404


@pytest.mark.parametrize(
    "body,field",
    [
        ({"start": "2027-01-01"}, "end"),  # after the stored end
        ({"end": "2025-12-31"}, "end"),  # before the stored start
        ({"start": "2026-06-01", "end": "2026-05-01"}, "end"),
        ({"start": "2026-13-01"}, "start"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": None}, "name"),
        ({"is_open": "ya"}, "is_open"),
        ({"is_open": None}, "is_open"),
    ],
)
def test_period_patch_bad_input_writes_nothing(world, api, body, field):
    res = api(world.hr).patch("/periods/2026", body)
    assert res.status_code == 422, res.content
    assert f"'{field}'" in res.json()["detail"]
    period = EvaluationPeriod.objects.get(code="2026")
    assert (period.name, period.start, period.end, period.is_open) == (
        "Periode 2026",
        date(2026, 1, 1),
        date(2026, 12, 31),
        True,
    )


def test_period_patch_dates(world, api):
    res = api(world.hr).patch("/periods/2026", {"start": "2026-02-01", "end": "2026-02-01"})
    assert res.status_code == 200
    assert (res.json()["start"], res.json()["end"]) == ("2026-02-01", "2026-02-01")


def test_period_list_query_count(world, api, django_assert_max_num_queries):
    client = api(world.staff.user)
    client.get("/periods")  # the token's first use records it (one UPDATE)
    counts = []
    for extra in (0, 30):
        for i in range(extra):
            EvaluationPeriod.objects.create(
                code=f"X{len(counts)}{i}", name="x", start=date(2020, 1, 1), end=date(2020, 2, 1)
            )
        with django_assert_max_num_queries(6) as ctx:
            res = client.get("/periods", limit=500)
        assert res.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


# -- evaluations: reads ----------------------------------------------------------------------

# Which sources each role sees of the staff member's evaluations (all four exist).
SEES = {
    "hr": {"self", "supervisor", "peer", "assessment"},
    "hr_duk": {"self", "supervisor", "peer", "assessment"},
    "hr_other": set(),
    "employee": {"self", "supervisor", "assessment"},  # not the individual peer rating
    "supervisor": {"supervisor"},  # the one they may write
    "asn": set(),
}


@pytest.mark.parametrize("role", sorted(SEES))
def test_evaluation_reads_per_role(world, roles, evaluations, api, role):
    client = api(roles[role])
    res = client.get("/evaluations")
    assert res.status_code == 200
    assert {e["source"] for e in res.json()["items"]} == SEES[role]
    assert res.json()["count"] == len(SEES[role])
    for source, evaluation in evaluations.items():
        one = client.get(f"/evaluations/{evaluation.pk}")
        if source in SEES[role]:
            assert one.status_code == 200
            assert one.json() == {
                "id": evaluation.pk,
                "employee_nip": NIP_STAFF,
                "period_code": "2026",
                "source": source,
                "status": "draft",
                "scores": [
                    {"competency_code": "M.3", "level": 3},
                    {"competency_code": "M.5", "level": 2},
                ],
            }
        else:
            assert one.status_code == 404
            assert one.json() == {"detail": "Penilaian tidak ditemukan."}


def test_evaluation_reads_anonymous(world, evaluations, api):
    assert api().get("/evaluations").status_code == 401
    assert api().get(f"/evaluations/{evaluations['self'].pk}").status_code == 401


def test_evaluation_filters(world, evaluations, api):
    hr = api(world.hr)
    _evaluation_other = services.evaluation_save(
        actor=world.hr,
        employee=world.other,
        period=world.old,
        source="supervisor",
        scores=[(world.comm, 4)],
    )
    assert hr.get("/evaluations").json()["count"] == 5
    assert hr.get("/evaluations", employee_nip=NIP_STAFF).json()["count"] == 4
    assert hr.get("/evaluations", employee_nip="1993 0512 2019 03 1004").json()["count"] == 4
    assert hr.get("/evaluations", period_code="2025").json()["items"][0]["id"] == (
        _evaluation_other.pk
    )
    assert hr.get("/evaluations", source="peer").json()["count"] == 1
    assert hr.get("/evaluations", source="supervisor", period_code="2026").json()["count"] == 1
    res = hr.get("/evaluations", source="atasan")
    assert res.status_code == 422 and "'source'" in res.json()["detail"]
    assert hr.get("/evaluations/0").status_code == 404
    assert hr.get(f"/evaluations/{2**70}").status_code == 404


def test_evaluation_list_query_count(world, api, django_assert_max_num_queries):
    """A fixed number of queries whatever the number of evaluations and scores."""
    clients = {"hr": api(world.hr), "employee": api(world.staff.user)}
    for client in clients.values():
        client.get("/evaluations")  # the token's first use records it (one UPDATE)
    counts = {name: [] for name in clients}
    for size, periods in ((1, ["2026"]), (12, [f"Q{i}" for i in range(11)])):
        for code in periods:
            period = EvaluationPeriod.objects.filter(code=code).first() or (
                EvaluationPeriod.objects.create(
                    code=code, name=code, start=date(2024, 1, 1), end=date(2024, 6, 30)
                )
            )
            for source in ("self", "supervisor", "assessment"):
                services.evaluation_save(
                    actor=_writer(world, source),
                    employee=world.staff,
                    period=period,
                    source=source,
                    scores=[(world.comm, 3), (world.serv, 2), (world.tek, 1)],
                )
        for name, client in clients.items():
            with django_assert_max_num_queries(8) as ctx:
                res = client.get("/evaluations", limit=500)
            assert res.status_code == 200
            assert len(res.json()["items"]) >= 3 * size
            counts[name].append(len(ctx.captured_queries))
    for name in clients:
        assert counts[name][0] == counts[name][1], counts


# -- evaluations: finalize -------------------------------------------------------------------

# Who may finalise the evaluation of each source (anyone else who sees it: 403; who does not
# see it: 404; anonymous: 401).
WRITERS = {
    "self": {"employee"},
    "supervisor": {"supervisor", "hr", "hr_duk"},
    "peer": {"hr", "hr_duk"},
    "assessment": {"hr", "hr_duk"},
}


@pytest.mark.parametrize("source", sorted(WRITERS))
@pytest.mark.parametrize(
    "role", ["hr", "hr_duk", "hr_other", "employee", "supervisor", "asn", "anon"]
)
def test_evaluation_finalize_per_role(world, roles, api, source, role):
    evaluation = _evaluation(world, source)
    res = api(roles[role]).post(f"/evaluations/{evaluation.pk}/finalize")
    if role == "anon":
        expected = 401
    elif role in WRITERS[source]:
        expected = 200
    elif source in SEES.get(role, set()):
        expected = 403
    else:
        expected = 404
    assert res.status_code == expected, res.content
    evaluation.refresh_from_db()
    if expected == 200:
        assert res.json()["status"] == "final" and res.json()["id"] == evaluation.pk
        assert evaluation.status == Evaluation.Status.FINAL
        assert evaluation.finalized_at is not None
    else:
        assert evaluation.status == Evaluation.Status.DRAFT
        assert "detail" in res.json()


def test_finalize_recomputes_profile_and_double_finalize_is_409(world, api):
    evaluation = _evaluation(world, "supervisor")
    assert _levels(world.staff).get("M.3") is None
    client = api(world.atasan.user)
    assert client.post(f"/evaluations/{evaluation.pk}/finalize").status_code == 200
    levels = _levels(world.staff)
    assert levels["M.3"] == 3 and levels["M.5"] == 2
    finalized_at = Evaluation.objects.get(pk=evaluation.pk).finalized_at
    res = client.post(f"/evaluations/{evaluation.pk}/finalize")
    assert res.status_code == 409
    assert res.json() == {"detail": "Kolom 'status': penilaian ini sudah final."}
    assert Evaluation.objects.get(pk=evaluation.pk).finalized_at == finalized_at
    assert api(world.staff.user).get(f"/evaluations/{evaluation.pk}").json()["status"] == "final"


def test_finalize_in_closed_period_is_409_and_writes_nothing(world, api):
    evaluation = _evaluation(world, "supervisor")
    EvaluationPeriod.objects.filter(pk=world.period.pk).update(is_open=False)
    before = _levels(world.staff)
    res = api(world.hr).post(f"/evaluations/{evaluation.pk}/finalize")
    assert res.status_code == 409 and "2026" in res.json()["detail"]
    assert Evaluation.objects.get(pk=evaluation.pk).status == Evaluation.Status.DRAFT
    assert _levels(world.staff) == before


def test_finalize_without_scores_is_422(world, api):
    evaluation = Evaluation.objects.create(
        employee=world.staff, period=world.period, source="supervisor", evaluator=world.hr
    )
    res = api(world.hr).post(f"/evaluations/{evaluation.pk}/finalize")
    assert res.status_code == 422 and "'scores'" in res.json()["detail"]
    assert Evaluation.objects.get(pk=evaluation.pk).status == Evaluation.Status.DRAFT


def test_draft_made_through_api_can_be_read_and_finalised(world, api):
    """The loop of issue #16: POST a draft, read it back, finalise it."""
    client = api(world.atasan.user)
    res = client.post(
        "/evaluations",
        {
            "employee_nip": NIP_STAFF,
            "period_code": "2026",
            "source": "supervisor",
            "scores": [{"competency_code": "M.3", "level": 4}],
        },
    )
    assert res.status_code == 201
    pk = res.json()["id"]
    listed = client.get("/evaluations", employee_nip=NIP_STAFF, period_code="2026").json()
    assert [e["id"] for e in listed["items"]] == [pk]
    assert client.post(f"/evaluations/{pk}/finalize").json()["status"] == "final"
