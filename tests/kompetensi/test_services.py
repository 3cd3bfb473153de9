"""Services of kompetensi: employees (NIP, rank, supervisor cycles, account), evaluations
(who may write, closed periods, levels), the profile (precedence, recompute on finalise and on
requirement change), SKP and peer anonymity."""

import logging

import pytest
from django.contrib.auth import get_user_model

from core.errors import Conflict, InvalidInput, NotAllowed
from core.models import AccessLog
from kompetensi import selectors, services
from kompetensi.models import Employee, EmployeeCompetency, PositionRequirement
from kompetensi.signals import profile_recomputed


def _profile(emp):
    return {
        r.competency.code: (r.required_level, r.assessed_level, r.gap, r.source, r.self_level)
        for r in EmployeeCompetency.objects.filter(employee=emp).select_related("competency")
    }


# -- employees ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "nip",
    ["196903091994032001", "19690309 199403 2 001", "198704212012021002"],
)
def test_employee_create_accepts_real_nips(world, nip):
    emp = services.employee_create(actor=world.hr, nip=nip, name="Budi", unit=world.kes)
    assert emp.nip == nip.replace(" ", "")
    assert emp.user.username == emp.nip
    assert not emp.user.has_usable_password()


@pytest.mark.parametrize(
    ("nip", "words"),
    [
        ("19850315201001200", "18 digit"),
        ("1985031520100120AB", "18 digit"),
        ("198502302010012003", "tanggal lahir"),
        ("198503152010132003", "TMT CPNS"),
        ("200503152010012003", "kurang dari 18 tahun"),
        ("198503152010013003", "jenis kelamin"),
        ("198503152010012000", "nomor urut"),
        ("198503152099012003", "masa depan"),
    ],
)
def test_employee_create_rejects_malformed_nip_naming_the_part(world, nip, words):
    before = Employee.objects.count()
    with pytest.raises(InvalidInput) as info:
        services.employee_create(actor=world.hr, nip=nip, name="Budi", unit=world.kes)
    assert words in str(info.value)
    assert info.value.field == "nip"
    assert Employee.objects.count() == before
    assert not get_user_model().objects.filter(username=nip).exists()


def test_pppk_number_uses_date_checks(world):
    emp = services.employee_create(
        actor=world.hr,
        nip="199001012023211001",
        name="Dina",
        unit=world.kes,
        employee_type="PPPK",
        rank="ix",
    )
    assert emp.rank == "IX"


def test_duplicate_nip_is_conflict(world):
    with pytest.raises(Conflict):
        services.employee_create(actor=world.hr, nip=world.staff.nip, name="Lain", unit=world.kes)


@pytest.mark.parametrize("rank", ["III/e", "V/a", "IIIa", "XVIII"])
def test_bad_rank(world, rank):
    with pytest.raises(InvalidInput) as info:
        services.employee_create(
            actor=world.hr, nip="196903091994032001", name="X", unit=world.kes, rank=rank
        )
    assert info.value.field == "rank"


def test_rank_is_normalised(world):
    emp = services.employee_create(
        actor=world.hr, nip="196903091994032001", name="X", unit=world.kes, rank="iv/ A"
    )
    assert emp.rank == "IV/a"


def test_supervisor_cycles_are_refused(world):
    # atasan → staff is a direct cycle; a 3-chain is an indirect one.
    with pytest.raises(InvalidInput) as info:
        services.employee_update(actor=world.hr, employee=world.atasan, supervisor=world.staff)
    assert "melingkar" in str(info.value)
    with pytest.raises(InvalidInput):
        services.employee_update(actor=world.hr, employee=world.atasan, supervisor=world.atasan)
    third = services.employee_create(
        actor=world.hr,
        nip="196903091994032001",
        name="Tiga",
        unit=world.duk1,
        supervisor=world.staff,
    )
    with pytest.raises(InvalidInput):
        services.employee_update(actor=world.hr, employee=world.atasan, supervisor=third)
    world.atasan.refresh_from_db()
    assert world.atasan.supervisor_id is None
    services.employee_update(actor=world.hr, employee=world.atasan, supervisor=world.other)  # fine


# -- evaluations and the profile ----------------------------------------------------------------


def _final(world, actor, emp, source, scores, period=None):
    return services.evaluation_save(
        actor=actor,
        employee=emp,
        period=period or world.period,
        source=source,
        scores=scores,
        finalize=True,
    )


def test_new_employee_profile_is_unassessed(world):
    prof = _profile(world.staff)
    assert prof["M.3"] == (3, None, None, "", None)
    assert set(prof) == {"M.3", "M.5", "T.DUK.01"}


def test_who_may_write_which_source(world):
    staff, atasan = world.staff, world.atasan
    scores = {world.comm: 2}
    kw = {"employee": staff, "period": world.period, "scores": scores}
    with pytest.raises(NotAllowed):
        services.evaluation_save(actor=atasan.user, source="self", **kw)
    with pytest.raises(NotAllowed):
        services.evaluation_save(actor=world.hr, source="self", **kw)
    with pytest.raises(NotAllowed):
        services.evaluation_save(actor=staff.user, source="supervisor", **kw)
    with pytest.raises(NotAllowed):
        services.evaluation_save(actor=world.hr_kes, source="supervisor", **kw)
    with pytest.raises(NotAllowed):
        services.evaluation_save(actor=atasan.user, source="peer", **kw)
    with pytest.raises(NotAllowed):
        services.evaluation_save(actor=atasan.user, source="assessment", **kw)
    services.evaluation_save(actor=staff.user, source="self", **kw)
    services.evaluation_save(actor=atasan.user, source="supervisor", **kw)
    services.evaluation_save(actor=world.hr, source="assessment", **kw)
    services.evaluation_save(actor=world.hr, source="peer", **kw)


def test_closed_period_accepts_nothing(world):
    services.period_set_open(actor=world.hr, period=world.period, is_open=False)
    with pytest.raises(Conflict):
        services.evaluation_save(
            actor=world.staff.user,
            employee=world.staff,
            period=world.period,
            source="self",
            scores={world.comm: 2},
        )


@pytest.mark.parametrize("level", [0, 6, -1])
def test_levels_are_1_to_5(world, level):
    with pytest.raises(InvalidInput):
        services.evaluation_save(
            actor=world.staff.user,
            employee=world.staff,
            period=world.period,
            source="self",
            scores={world.comm: level},
        )


def test_final_evaluation_cannot_change(world):
    _final(world, world.atasan.user, world.staff, "supervisor", {world.comm: 2})
    with pytest.raises(Conflict):
        _final(world, world.atasan.user, world.staff, "supervisor", {world.comm: 3})


def test_finalise_recomputes_gap_and_sends_signal(world):
    received = []

    def listener(sender, employee_ids, period_id, **kwargs):
        received.append((employee_ids, period_id))

    profile_recomputed.connect(listener)
    try:
        draft = services.evaluation_save(
            actor=world.atasan.user,
            employee=world.staff,
            period=world.period,
            source="supervisor",
            scores={world.comm: 2, world.serv: 3},
        )
        assert _profile(world.staff)["M.3"][1] is None  # a draft counts for nothing
        services.evaluation_finalize(actor=world.atasan.user, evaluation=draft)
    finally:
        profile_recomputed.disconnect(listener)
    prof = _profile(world.staff)
    assert prof["M.3"] == (3, 2, 1, "supervisor", None)
    assert prof["M.5"] == (2, 3, 0, "supervisor", None)
    assert prof["T.DUK.01"][1] is None
    assert received == [([world.staff.pk], world.period.pk)]


def test_precedence_assessment_supervisor_peer_self(world):
    staff = world.staff
    _final(world, staff.user, staff, "self", {world.comm: 5})
    assert _profile(staff)["M.3"] == (3, None, None, "", 5)  # self never sets the level
    for level in (1, 2, 4):
        _final(world, world.hr, staff, "peer", {world.comm: level})
    assert _profile(staff)["M.3"][1:4] == (2, 1, "peer")  # median of 1, 2, 4
    _final(world, world.atasan.user, staff, "supervisor", {world.comm: 3}, period=world.old)
    assert _profile(staff)["M.3"][1:4] == (3, 0, "supervisor")  # older, but more authoritative
    _final(world, world.hr, staff, "assessment", {world.comm: 1}, period=world.old)
    assert _profile(staff)["M.3"] == (3, 1, 2, "assessment", 5)


def test_requirement_change_recomputes(world, django_capture_on_commit_callbacks):
    _final(world, world.atasan.user, world.staff, "supervisor", {world.comm: 2})
    assert _profile(world.staff)["M.3"][2] == 1
    req = PositionRequirement.objects.get(position=world.petugas, competency=world.comm)
    with django_capture_on_commit_callbacks(execute=True):
        req.level = 4
        req.save()
    assert _profile(world.staff)["M.3"][:3] == (4, 2, 2)
    services.position_set_requirements(
        actor=world.hr, position=world.petugas, requirements=[(world.comm, 2), (world.serv, 2)]
    )
    prof = _profile(world.staff)
    assert prof["M.3"][:3] == (2, 2, 0)
    assert "T.DUK.01" not in prof


def test_position_change_recomputes(world):
    services.employee_update(actor=world.hr, employee=world.staff, position=world.kasi)
    assert set(_profile(world.staff)) == {"M.3"}
    assert _profile(world.staff)["M.3"][0] == 2


def test_recompute_whole_city_is_set_based(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        services.profile_recompute()


# -- SKP ---------------------------------------------------------------------------------------


def test_skp_record_replaces_and_flags(world):
    services.skp_record(
        actor=world.hr,
        employee=world.staff,
        period=world.period,
        hasil_kerja="di_bawah",
        perilaku_kerja="sesuai",
    )
    world.staff.refresh_from_db()
    assert world.staff.development_review
    result = services.skp_record(
        actor=world.hr,
        employee=world.staff,
        period=world.period,
        hasil_kerja="di_atas",
        perilaku_kerja="di_atas",
    )
    assert result.predicate == "Sangat Baik"
    world.staff.refresh_from_db()
    assert not world.staff.development_review
    assert world.staff.skp_results.count() == 1
    with pytest.raises(InvalidInput) as info:
        services.skp_record(
            actor=world.hr,
            employee=world.staff,
            period=world.period,
            hasil_kerja="baik",
            perilaku_kerja="sesuai",
        )
    assert info.value.field == "hasil_kerja"


# -- peer anonymity ------------------------------------------------------------------------------


def test_peer_scores_shown_only_aggregated_from_three(world, caplog):
    for level in (2, 3):
        _final(world, world.hr, world.staff, "peer", {world.comm: level})
    agg = selectors.peer_aggregate(world.staff)
    assert agg.raters == 2 and not agg.shown and agg.per_competency == []
    _final(world, world.hr, world.staff, "peer", {world.comm: 4})
    agg = selectors.peer_aggregate(world.staff)
    assert agg.shown and agg.per_competency == [("M.3", "Komunikasi", 3.0)]
    assert not selectors.evaluations_of(world.staff).filter(source="peer").exists()
    with caplog.at_level(logging.INFO, logger="sikap.audit"):
        rows = selectors.peer_ratings_individual(actor=world.hr, employee=world.staff)
    assert len(rows) == 3
    assert "peer_ratings_view" in caplog.text
    assert (
        AccessLog.objects.filter(
            user=world.hr, employee=world.staff, action="peer_ratings_view"
        ).count()
        == 1
    )
