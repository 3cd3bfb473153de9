"""Tests of kompetensi.rules: the domain's pure rules (DOMAIN.md). No database, no network.

The citizen survey's rules (SKM elements, IKM, u7 → training need) are tested in
tests/skm/test_rules.py."""

import json
import os
import string
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import translation

from kompetensi import rules
from kompetensi.reference import KAMUS_KOMPETENSI_PATH
from kompetensi.rules import (
    AssessedLevel,
    NipError,
    RankError,
    RuleError,
    ScoreObs,
)

if not settings.configured and not os.environ.get("DJANGO_SETTINGS_MODULE"):
    # Run on its own (``-p no:django``): lazy messages then need only minimal settings.
    settings.configure(USE_I18N=False)

TODAY = date(2025, 6, 15)
WIB = rules.JAKARTA


def message(error: pytest.ExceptionInfo[BaseException]) -> str:
    """The error's message as an Indonesian reader sees it."""
    with translation.override("id"):
        return str(error.value)


# ---------------------------------------------------------------------------------------------
# NIP (PNS)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "birth_date", "cpns_start", "gender", "sequence"),
    [
        # DOMAIN.md's example: born 1985-03-15, CPNS from 2010-01, female, sequence 003.
        ("198503152010012003", date(1985, 3, 15), date(2010, 1, 1), "P", 3),
        # As printed on certificates, with spaces.
        ("19690309 199403 2 001", date(1969, 3, 9), date(1994, 3, 1), "P", 1),
        # Leading/trailing whitespace and a tab are removed too.
        ("  196903091994031002\t", date(1969, 3, 9), date(1994, 3, 1), "L", 2),
        # 29 February of a leap year is a real birth date.
        ("198802292010011999", date(1988, 2, 29), date(2010, 1, 1), "L", 999),
        # 2000 is a leap year (divisible by 400).
        ("200002292018031001", date(2000, 2, 29), date(2018, 3, 1), "L", 1),
        # Exactly 18 on the first day of the CPNS month.
        ("199203012010031001", date(1992, 3, 1), date(2010, 3, 1), "L", 1),
        # TMT CPNS in the current month counts from its first day: not in the future.
        ("199001012025061001", date(1990, 1, 1), date(2025, 6, 1), "L", 1),
    ],
)
def test_parse_nip_valid(raw, birth_date, cpns_start, gender, sequence):
    info = rules.parse_nip(raw, today=TODAY)
    assert info == rules.NipInfo(
        nip=raw.replace(" ", "").strip(),
        employee_type="PNS",
        birth_date=birth_date,
        cpns_start=cpns_start,
        appointment_year=None,
        gender=gender,
        sequence=sequence,
    )
    assert len(info.nip) == 18
    assert info.nip.isdigit()


@pytest.mark.parametrize(
    ("raw", "part", "text"),
    [
        # Shape: 18 ASCII digits after removing whitespace, nothing else.
        ("19850315201001200", "format", "NIP harus terdiri dari 18 digit angka"),  # 17 digits
        ("1985031520100120031", "format", "NIP harus terdiri dari 18 digit angka"),  # 19 digits
        ("", "format", "NIP harus terdiri dari 18 digit angka"),
        ("   ", "format", "NIP harus terdiri dari 18 digit angka"),
        ("19850315201001200A", "format", "NIP harus terdiri dari 18 digit angka"),
        ("19850315-201001-2-003", "format", "NIP harus terdiri dari 18 digit angka"),
        ("19850315.201001.2.003", "format", "NIP harus terdiri dari 18 digit angka"),
        ("+98503152010012003", "format", "NIP harus terdiri dari 18 digit angka"),
        # Non-ASCII digits (Arabic-Indic, full-width) pass str.isdigit() but are not an NIP.
        ("١٩٨٥٠٣١٥٢٠١٠٠١٢٠٠٣", "format", "NIP harus terdiri dari 18 digit angka"),
        ("１９８５０３１５２０１００１２００３", "format", "NIP harus terdiri dari 18 digit angka"),
        # Birth date (digits 1-8) must be a real date.
        ("198502292010012003", "birth_date", "tanggal lahir pada NIP tidak valid"),  # 1985 no leap
        ("190002292010012003", "birth_date", "tanggal lahir pada NIP tidak valid"),  # 1900 no leap
        ("198513152010012003", "birth_date", "tanggal lahir pada NIP tidak valid"),  # month 13
        ("198500152010012003", "birth_date", "tanggal lahir pada NIP tidak valid"),  # month 00
        ("198503322010012003", "birth_date", "tanggal lahir pada NIP tidak valid"),  # day 32
        ("198504312010012003", "birth_date", "tanggal lahir pada NIP tidak valid"),  # 31 April
        ("198503002010012003", "birth_date", "tanggal lahir pada NIP tidak valid"),  # day 00
        ("000003152010012003", "birth_date", "tanggal lahir pada NIP tidak valid"),  # year 0000
        # A birth date after today is not a real one either.
        ("202507012025012003", "birth_date", "tanggal lahir pada NIP tidak boleh di masa depan"),
        # TMT CPNS (digits 9-14, YYYYMM) must be a real month ...
        ("198503152010132003", "cpns_start", "TMT CPNS pada NIP tidak valid"),  # month 13
        ("198503152010002003", "cpns_start", "TMT CPNS pada NIP tidak valid"),  # month 00
        ("198503150000012003", "cpns_start", "TMT CPNS pada NIP tidak valid"),  # year 0000
        # ... not in the future (today is 2025-06-15; July 2025 is next month) ...
        ("198503152025072003", "cpns_start", "TMT CPNS pada NIP tidak boleh di masa depan"),
        ("198503152030012003", "cpns_start", "TMT CPNS pada NIP tidak boleh di masa depan"),
        # ... and the holder was at least 18 on its first day.
        # Born 1992-03-15, CPNS 2010-03-01: 17 years old (18 only on 15 March).
        ("199203152010032003", "cpns_start", "usia pada TMT CPNS kurang dari 18 tahun"),
        # Born 29 Feb 2000, CPNS 2018-02-01: 17 (turns 18 on 1 March 2018 in a common year).
        ("200002292018021001", "cpns_start", "usia pada TMT CPNS kurang dari 18 tahun"),
        # CPNS before birth.
        ("199203152000012003", "cpns_start", "usia pada TMT CPNS kurang dari 18 tahun"),
        # Gender digit (15) is 1 or 2.
        ("198503152010013003", "gender", "kode jenis kelamin pada NIP harus 1 atau 2"),
        ("198503152010010003", "gender", "kode jenis kelamin pada NIP harus 1 atau 2"),
        ("198503152010019003", "gender", "kode jenis kelamin pada NIP harus 1 atau 2"),
        # Sequence (16-18) is 001-999.
        ("198503152010012000", "sequence", "nomor urut pada NIP tidak boleh 000"),
        ("19850315 201001 1 000", "sequence", "nomor urut pada NIP tidak boleh 000"),
        # Several parts wrong: the first one in reading order is named.
        ("198502292010133000", "birth_date", "tanggal lahir pada NIP tidak valid"),
        ("198503152010133000", "cpns_start", "TMT CPNS pada NIP tidak valid"),
        ("198503152010013000", "gender", "kode jenis kelamin pada NIP harus 1 atau 2"),
    ],
)
def test_parse_nip_invalid_names_the_wrong_part(raw, part, text):
    with pytest.raises(NipError) as error:
        rules.parse_nip(raw, today=TODAY)
    assert error.value.part == part
    assert message(error) == text
    assert isinstance(error.value, ValueError)


def test_parse_nip_age_boundary_one_month_later_passes():
    # Born 1992-03-15: CPNS 2010-03 fails (above), CPNS 2010-04 passes.
    info = rules.parse_nip("199203152010042003", today=TODAY)
    assert info.cpns_start == date(2010, 4, 1)


def test_parse_nip_defaults_to_today_in_jakarta():
    assert rules.parse_nip("198503152010012003").birth_date == date(1985, 3, 15)
    # Far in the future for any clock this test will run on.
    with pytest.raises(NipError) as error:
        rules.parse_nip("198503152999012003")
    assert error.value.part == "cpns_start"


def test_parse_nip_rejects_unknown_employee_type():
    with pytest.raises(RuleError) as error:
        rules.parse_nip("198503152010012003", employee_type="honorer", today=TODAY)
    assert error.value.part == "employee_type"
    assert message(error) == "jenis ASN harus PNS atau PPPK"


# ---------------------------------------------------------------------------------------------
# NI PPPK
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "birth_date", "year", "gender", "sequence"),
    [
        # birth 1990-06-07, appointed 2023, code "21", male, sequence 014.
        ("199006072023211014", date(1990, 6, 7), 2023, "L", 14),
        ("19890225 2024 21 2 013", date(1989, 2, 25), 2024, "P", 13),
        # Appointed this year (2025): not in the future.
        ("199602292025212001", date(1996, 2, 29), 2025, "P", 1),
        # Turns 18 during the appointment year: accepted (only the year is known).
        ("200712312025211001", date(2007, 12, 31), 2025, "L", 1),
    ],
)
def test_parse_nip_pppk_valid(raw, birth_date, year, gender, sequence):
    info = rules.parse_nip(raw, employee_type="PPPK", today=TODAY)
    assert info.employee_type == "PPPK"
    assert info.birth_date == birth_date
    assert info.cpns_start is None
    assert info.appointment_year == year
    assert info.gender == gender
    assert info.sequence == sequence


def test_parse_nip_pppk_type_is_case_insensitive():
    info = rules.parse_nip("199006072023211014", employee_type=" pppk ", today=TODAY)
    assert info.employee_type == "PPPK"


@pytest.mark.parametrize(
    ("raw", "part", "text"),
    [
        ("19900607202321101", "format", "NIP harus terdiri dari 18 digit angka"),
        ("198902292023211014", "birth_date", "tanggal lahir pada NIP tidak valid"),  # no leap
        ("199013072023211014", "birth_date", "tanggal lahir pada NIP tidak valid"),  # month 13
        ("202601012026211014", "birth_date", "tanggal lahir pada NIP tidak boleh di masa depan"),
        ("199006070000211014", "appointment_year", "tahun pengangkatan PPPK pada NIP tidak valid"),
        (
            "199006072026211014",
            "appointment_year",
            "tahun pengangkatan PPPK pada NIP tidak boleh di masa depan",
        ),
        (
            "200801012025211014",  # 17 in 2025
            "appointment_year",
            "usia pada tahun pengangkatan PPPK kurang dari 18 tahun",
        ),
        ("199006072023213014", "gender", "kode jenis kelamin pada NIP harus 1 atau 2"),
        ("199006072023211000", "sequence", "nomor urut pada NIP tidak boleh 000"),
    ],
)
def test_parse_nip_pppk_invalid(raw, part, text):
    with pytest.raises(NipError) as error:
        rules.parse_nip(raw, employee_type="PPPK", today=TODAY)
    assert error.value.part == part
    assert message(error) == text


def test_pppk_number_is_not_a_pns_nip():
    # Digits 13-14 of an NI PPPK ("21") are not a month, so the PNS reading rejects it.
    with pytest.raises(NipError) as error:
        rules.parse_nip("199006072023211014", employee_type="PNS", today=TODAY)
    assert error.value.part == "cpns_start"
    assert message(error) == "TMT CPNS pada NIP tidak valid"


# ---------------------------------------------------------------------------------------------
# NIP display
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "grouped"),
    [
        ("196903091994032001", "19690309 199403 2 001"),
        ("198503152010012003", "19850315 201001 2 003"),
        ("19690309 199403 2 001", "19690309 199403 2 001"),  # idempotent
        ("199006072023211014", "19900607 202321 1 014"),  # NI PPPK, same grouping
    ],
)
def test_format_nip_grouped(raw, grouped):
    assert rules.format_nip_grouped(raw) == grouped


@pytest.mark.parametrize("raw", ["1969030919940320", "19690309199403200X", ""])
def test_format_nip_grouped_rejects_malformed(raw):
    with pytest.raises(NipError):
        rules.format_nip_grouped(raw)


@pytest.mark.parametrize(
    ("raw", "printed"),
    [
        ("196903091994032001", "19690309 199403 2 001"),
        ("19690309 199403 2 001", "19690309 199403 2 001"),
        (" 1969030919940320 01 ", "19690309 199403 2 001"),
        ("12345", "12345"),
        ("", ""),
    ],
)
def test_nip_for_display_groups_a_nip_and_leaves_anything_else(raw, printed):
    """Certificates (holder and signatory) and HR's employee page print NIPs this way."""
    assert rules.nip_for_display(raw) == printed


def test_numeric_date_is_dd_mm_yyyy_on_the_jakarta_day():
    assert rules.numeric_date(date(2026, 11, 9)) == "09-11-2026"
    # 18:00 UTC is already the next day in Asia/Jakarta (UTC+7).
    assert rules.numeric_date(datetime(2026, 11, 29, 18, 0, tzinfo=UTC)) == "30-11-2026"
    assert rules.numeric_date(None) == ""


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("198503152010012003", "1985********2003"),
        ("19850315 201001 2 003", "1985********2003"),
        ("196903091994032001", "1969********2001"),
        ("12345678", "********"),  # too short to show anything
        ("", ""),
    ],
)
def test_mask_nip(raw, masked):
    assert rules.mask_nip(raw) == masked


def test_mask_nip_matches_domain_md_and_hides_the_middle():
    masked = rules.mask_nip("198503152010012003")
    assert masked == "1985********2003"
    assert "0315" not in masked


# ---------------------------------------------------------------------------------------------
# Rank
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "employee_type", "normalised"),
    [
        ("III/a", "PNS", "III/a"),
        ("iii/a", "PNS", "III/a"),
        ("III / a", "PNS", "III/a"),
        (" iv/E ", "PNS", "IV/e"),
        ("I/d", "PNS", "I/d"),
        ("II/A", "PNS", "II/a"),
        ("IV/e", "pns", "IV/e"),
        ("XVII", "PPPK", "XVII"),
        ("ix", "PPPK", "IX"),
        (" v ", "PPPK", "V"),
        ("I", "PPPK", "I"),
    ],
)
def test_validate_rank_normalises(raw, employee_type, normalised):
    assert rules.validate_rank(raw, employee_type) == normalised


@pytest.mark.parametrize(
    ("raw", "employee_type"),
    [
        ("III/e", "PNS"),  # only IV has ruang e
        ("I/e", "PNS"),
        ("V/a", "PNS"),
        ("III", "PNS"),
        ("3/a", "PNS"),
        ("IIIa", "PNS"),
        ("", "PNS"),
        ("XVIII", "PPPK"),
        ("0", "PPPK"),
        ("III/a", "PPPK"),  # a PNS rank is not a PPPK grade
        ("IX", "PNS"),  # and the other way round
    ],
)
def test_validate_rank_rejects(raw, employee_type):
    with pytest.raises(RankError) as error:
        rules.validate_rank(raw, employee_type)
    assert error.value.part == "rank"
    assert "tidak dikenal" in message(error)


def test_validate_rank_message_shows_the_value():
    with pytest.raises(RankError) as error:
        rules.validate_rank("III/f")
    assert message(error) == "golongan/ruang PNS “III/f” tidak dikenal; gunakan I/a sampai IV/e"


# ---------------------------------------------------------------------------------------------
# Gap
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("required", "assessed", "expected", "signed"),
    [
        (3, 2, 1, -1),
        (3, 3, 0, 0),
        (3, 5, 0, 2),  # exceeding the requirement is no gap
        (5, 1, 4, -4),
        (1, 1, 0, 0),
        (4, None, None, None),  # belum dinilai
    ],
)
def test_gap(required, assessed, expected, signed):
    assert rules.gap(required, assessed) == expected
    assert rules.signed_gap(required, assessed) == signed


@pytest.mark.parametrize(
    ("required", "assessed"),
    [(0, 1), (6, 1), (3, 0), (3, 6), (True, 1), (3, 2.0), (None, 1)],
)
def test_gap_rejects_levels_outside_1_to_5(required, assessed):
    with pytest.raises(RuleError) as error:
        rules.gap(required, assessed)
    assert "harus bilangan bulat 1 sampai 5" in message(error)


# ---------------------------------------------------------------------------------------------
# Assessed level: source precedence
# ---------------------------------------------------------------------------------------------

P2023, P2024, P2025 = date(2023, 1, 1), date(2024, 1, 1), date(2025, 1, 1)


def at(day: int, month: int = 6, year: int = 2025) -> datetime:
    return datetime(year, month, day, 10, 0, tzinfo=WIB)


def obs(source: str, level: int, period: date, finalized: datetime | None) -> ScoreObs:
    return ScoreObs(source=source, level=level, period_start=period, finalized_at=finalized)


def test_assessment_wins_over_a_newer_supervisor_score():
    result = rules.assessed_level_from_sources(
        [
            obs("assessment", 2, P2023, at(1, year=2023)),
            obs("supervisor", 4, P2025, at(1)),
            obs("peer", 5, P2025, at(2)),
            obs("self", 5, P2025, at(3)),
        ]
    )
    assert result == AssessedLevel(2, "assessment", at(1, year=2023))


def test_newest_assessment_is_by_period_then_finalisation():
    older_period_finalised_late = obs("assessment", 2, P2023, at(1, year=2025))
    newer_period = obs("assessment", 4, P2024, at(1, year=2024))
    result = rules.assessed_level_from_sources([newer_period, older_period_finalised_late])
    assert result == AssessedLevel(4, "assessment", at(1, year=2024))

    same_period_early = obs("assessment", 3, P2025, at(1))
    same_period_late = obs("assessment", 5, P2025, at(20))
    for order in ([same_period_early, same_period_late], [same_period_late, same_period_early]):
        assert rules.assessed_level_from_sources(order) == AssessedLevel(5, "assessment", at(20))


def test_exact_tie_goes_to_the_lower_level_whatever_the_order():
    a, b = obs("supervisor", 4, P2025, at(5)), obs("supervisor", 2, P2025, at(5))
    assert rules.assessed_level_from_sources([a, b]).level == 2
    assert rules.assessed_level_from_sources([b, a]).level == 2


def test_draft_scores_are_ignored():
    result = rules.assessed_level_from_sources(
        [
            obs("assessment", 5, P2025, None),  # not final
            obs("supervisor", 3, P2024, at(1, year=2024)),
            obs("supervisor", 1, P2025, None),  # not final
        ]
    )
    assert result == AssessedLevel(3, "supervisor", at(1, year=2024))


def test_supervisor_wins_over_peers_and_newest_supervisor_counts():
    result = rules.assessed_level_from_sources(
        [
            obs("supervisor", 3, P2024, at(1, year=2024)),
            obs("supervisor", 2, P2025, at(2)),
            obs("peer", 5, P2025, at(3)),
        ]
    )
    assert result == AssessedLevel(2, "supervisor", at(2))


def test_peers_median_of_the_newest_period_rounded_down():
    result = rules.assessed_level_from_sources(
        [
            obs("peer", 5, P2024, at(1, year=2024)),
            obs("peer", 5, P2024, at(2, year=2024)),
            obs("peer", 5, P2024, at(3, year=2024)),
            # Newest period: 2, 3, 4, 4 -> median (3 + 4) / 2 = 3.5 -> 3.
            obs("peer", 4, P2025, at(4)),
            obs("peer", 2, P2025, at(9)),
            obs("peer", 4, P2025, at(2)),
            obs("peer", 3, P2025, at(7)),
            obs("peer", 1, P2025, None),  # a draft does not count
        ]
    )
    assert result == AssessedLevel(3, "peer", at(9))  # as of the latest score used


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        ([4], 4),
        ([1, 5, 3], 3),
        ([2, 3], 2),  # 2.5 -> 2
        ([2, 4], 3),
        ([5, 4], 4),  # 4.5 -> 4
        ([1, 2, 3, 4], 2),  # 2.5 -> 2
        ([3, 3, 4, 5], 3),  # 3.5 -> 3
        ([5, 5, 1, 1, 3], 3),
    ],
)
def test_median_rounded_down(levels, expected):
    assert rules.median_rounded_down(levels) == expected
    peers = [obs("peer", level, P2025, at(1)) for level in levels]
    assert rules.assessed_level_from_sources(peers).level == expected


def test_median_of_nothing_is_an_error():
    with pytest.raises(RuleError):
        rules.median_rounded_down([])


def test_self_never_sets_the_assessed_level():
    own = [obs("self", 5, P2025, at(1)), obs("self", 4, P2024, at(1, year=2024))]
    assert rules.assessed_level_from_sources(own) is None
    assert rules.self_assessed_level(own) == AssessedLevel(5, "self", at(1))

    with_peer = [*own, obs("peer", 2, P2023, at(1, year=2023))]
    assert rules.assessed_level_from_sources(with_peer) == AssessedLevel(
        2, "peer", at(1, year=2023)
    )


def test_nothing_final_means_no_assessed_level():
    assert rules.assessed_level_from_sources([]) is None
    assert rules.assessed_level_from_sources([obs("assessment", 3, P2025, None)]) is None
    assert rules.self_assessed_level([obs("peer", 3, P2025, at(1))]) is None


@pytest.mark.parametrize(
    "bad",
    [
        obs("atasan", 3, P2025, at(1)),  # unknown source
        obs("peer", 6, P2025, at(1)),
        obs("peer", 0, P2025, None),  # validated even when not final
    ],
)
def test_precedence_rejects_bad_observations(bad):
    with pytest.raises(RuleError):
        rules.assessed_level_from_sources([bad])


# ---------------------------------------------------------------------------------------------
# JPM and IKK
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pairs", "jpm", "ikk", "category"),
    [
        # (1 + 2/3 + 1) / 3 = 8/9 -> 88.888... -> 88.89
        ([(3, 3), (3, 2), (2, 3)], "88.89", "11.11", "Memenuhi Syarat"),
        # (2/3 + 1 + 2/3) / 3 = 7/9 -> 77.777... -> 77.78
        ([(3, 2), (3, 3), (3, 2)], "77.78", "22.22", "Masih Memenuhi Syarat"),
        # (2/4 + 3/4) / 2 = 0.625 -> 62.50
        ([(4, 2), (4, 3)], "62.50", "37.50", "Kurang Memenuhi Syarat"),
        # Seven met and one at 1/4: 7.25 / 8 = 0.90625 -> 90.625 -> 90.63 (half up, not even).
        ([(3, 3)] * 7 + [(4, 1)], "90.63", "9.37", "Memenuhi Syarat"),
        # 2/3 -> 66.666... -> 66.67
        ([(3, 2)], "66.67", "33.33", "Kurang Memenuhi Syarat"),
        # Exceeding a requirement is capped at 1: (1 + 1/2) / 2 = 75.00, not (5/2 + 1/2) / 2.
        ([(2, 5), (4, 2)], "75.00", "25.00", "Masih Memenuhi Syarat"),
        ([(2, 5)], "100.00", "0.00", "Memenuhi Syarat"),
        ([(5, 1)], "20.00", "80.00", "Kurang Memenuhi Syarat"),
        # (1 + 1 + 1 + 1 + 2/5) / 5 = 0.88 -> 88.00; ten at 4/5 is 80.00 exactly.
        ([(5, 5)] * 4 + [(5, 2)], "88.00", "12.00", "Memenuhi Syarat"),
        ([(5, 4)] * 10, "80.00", "20.00", "Memenuhi Syarat"),
        # (4 * 1 + 3/4 + 3/4 + 2/4 + 1/4) / 8 = 0.78125 -> 78.125 -> 78.13
        (
            [(4, 4)] * 4 + [(4, 3), (4, 3), (4, 2), (4, 1)],
            "78.13",
            "21.87",
            "Masih Memenuhi Syarat",
        ),
    ],
)
def test_jpm_ikk_and_category(pairs, jpm, ikk, category):
    value = rules.jpm(pairs)
    assert value == Decimal(jpm)
    assert str(value) == jpm  # always two decimals
    assert rules.ikk(value) == Decimal(ikk)
    assert rules.jpm_category(value) == category


@pytest.mark.parametrize(
    "pairs",
    [
        [],  # no requirements
        [(3, 3), (3, None)],  # belum lengkap: never default a missing score
        [(3, None)],
    ],
)
def test_jpm_is_none_until_complete(pairs):
    assert rules.jpm(pairs) is None
    assert rules.ikk(rules.jpm(pairs)) is None
    assert rules.jpm_category(rules.jpm(pairs)) is None


def test_jpm_validates_levels_even_when_incomplete():
    with pytest.raises(RuleError):
        rules.jpm([(0, None)])
    with pytest.raises(RuleError):
        rules.jpm([(3, 6)])


def test_jpm_accepts_any_iterable():
    assert rules.jpm(iter([(3, 3), (3, 2), (2, 3)])) == Decimal("88.89")


@pytest.mark.parametrize(
    ("value", "category"),
    [
        (Decimal("100.00"), "Memenuhi Syarat"),
        (Decimal("80.00"), "Memenuhi Syarat"),
        (80, "Memenuhi Syarat"),
        (Decimal("79.99"), "Masih Memenuhi Syarat"),
        (79.999, "Masih Memenuhi Syarat"),
        (Decimal("68.00"), "Masih Memenuhi Syarat"),
        (Decimal("67.99"), "Kurang Memenuhi Syarat"),
        (Decimal("0.00"), "Kurang Memenuhi Syarat"),
        (None, None),
    ],
)
def test_jpm_category_thresholds(value, category):
    assert rules.jpm_category(value) == category


# ---------------------------------------------------------------------------------------------
# SKP predicate: every cell of DOMAIN.md's matrix (rows hasil kerja, columns perilaku kerja)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hasil_kerja", "perilaku_kerja", "predicate"),
    [
        ("di_atas", "di_bawah", "Kurang/Misconduct"),
        ("di_atas", "sesuai", "Baik"),
        ("di_atas", "di_atas", "Sangat Baik"),
        ("sesuai", "di_bawah", "Kurang/Misconduct"),
        ("sesuai", "sesuai", "Baik"),
        ("sesuai", "di_atas", "Baik"),
        ("di_bawah", "di_bawah", "Sangat Kurang"),
        ("di_bawah", "sesuai", "Butuh Perbaikan"),
        ("di_bawah", "di_atas", "Butuh Perbaikan"),
    ],
)
def test_skp_predicate_matrix(hasil_kerja, perilaku_kerja, predicate):
    assert rules.skp_predicate(hasil_kerja=hasil_kerja, perilaku_kerja=perilaku_kerja) == predicate
    assert rules.skp_predicate(hasil_kerja, perilaku_kerja) == predicate
    assert rules.is_weak_predicate(predicate) == (predicate in rules.WEAK_PREDICATES)


def test_skp_axes_are_not_swapped():
    # Good results, poor behaviour is misconduct; poor results, good behaviour needs improvement.
    assert rules.skp_predicate(hasil_kerja="di_atas", perilaku_kerja="di_bawah") == (
        "Kurang/Misconduct"
    )
    assert rules.skp_predicate(hasil_kerja="di_bawah", perilaku_kerja="di_atas") == (
        "Butuh Perbaikan"
    )


def test_skp_predicate_tolerates_case_and_spaces():
    assert rules.skp_predicate(" DI_ATAS ", "Sesuai") == "Baik"


@pytest.mark.parametrize(
    ("hasil_kerja", "perilaku_kerja", "part", "text"),
    [
        ("baik", "sesuai", "hasil_kerja", "hasil kerja harus “di_atas”, “sesuai” atau “di_bawah”"),
        (
            "di atas",
            "sesuai",
            "hasil_kerja",
            "hasil kerja harus “di_atas”, “sesuai” atau “di_bawah”",
        ),
        ("", "sesuai", "hasil_kerja", "hasil kerja harus “di_atas”, “sesuai” atau “di_bawah”"),
        (
            "sesuai",
            "Di Atas Ekspektasi",
            "perilaku_kerja",
            "perilaku kerja harus “di_atas”, “sesuai” atau “di_bawah”",
        ),
        (
            "sesuai",
            None,
            "perilaku_kerja",
            "perilaku kerja harus “di_atas”, “sesuai” atau “di_bawah”",
        ),
    ],
)
def test_skp_predicate_rejects_bad_values(hasil_kerja, perilaku_kerja, part, text):
    with pytest.raises(ValueError) as error:
        rules.skp_predicate(hasil_kerja, perilaku_kerja)
    assert error.value.part == part
    assert message(error) == text


def test_weak_predicates():
    assert rules.WEAK_PREDICATES == {"Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang"}
    assert not rules.is_weak_predicate("Baik")
    assert not rules.is_weak_predicate("Sangat Baik")
    assert not rules.is_weak_predicate(None)
    assert set(rules.SKP_PREDICATES) == {
        "Sangat Baik",
        "Baik",
        "Butuh Perbaikan",
        "Kurang/Misconduct",
        "Sangat Kurang",
    }


# ---------------------------------------------------------------------------------------------
# Certificates
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seq", "year", "fmt", "number"),
    [
        (1, 2025, rules.CERTIFICATE_NUMBER_FORMAT, "00001/SIKAP/2025"),
        (7, 2025, rules.CERTIFICATE_NUMBER_FORMAT, "00007/SIKAP/2025"),
        (99999, 2026, rules.CERTIFICATE_NUMBER_FORMAT, "99999/SIKAP/2026"),
        (123456, 2026, rules.CERTIFICATE_NUMBER_FORMAT, "123456/SIKAP/2026"),  # never truncated
        (7, 2025, "{year}-{seq:04d}", "2025-0007"),
        (42, 2025, "800/{seq:03d}/BKPSDM/{year}", "800/042/BKPSDM/2025"),
    ],
)
def test_format_certificate_number(seq, year, fmt, number):
    assert rules.format_certificate_number(seq, year, fmt) == number


def test_certificate_number_default_format():
    assert rules.format_certificate_number(7, 2025) == "00007/SIKAP/2025"


@pytest.mark.parametrize(
    "fmt",
    [
        "{seq:05d}",  # no year: numbers would repeat every year
        "SIKAP/{year}",  # no sequence
        "{seq}/{year}/{unit}",  # unknown field
        "{seq:05d/{year}",  # malformed
        "{seq:zz}/{year}",  # bad format spec
        "{0}/{year}",
        "{seq.real}/{year}",
    ],
)
def test_certificate_number_format_is_checked(fmt):
    with pytest.raises(RuleError) as error:
        rules.format_certificate_number(1, 2025, fmt)
    assert error.value.part == "certificate_number_format"


@pytest.mark.parametrize(("seq", "year"), [(0, 2025), (-1, 2025), (True, 2025), (1, 0), (1, 10000)])
def test_certificate_number_rejects_bad_seq_or_year(seq, year):
    with pytest.raises(RuleError):
        rules.format_certificate_number(seq, year)


def test_new_verification_code_shape_and_randomness():
    codes = [rules.new_verification_code() for _ in range(500)]
    assert len(set(codes)) == len(codes)
    for code in codes:
        assert len(code) == 26
        assert set(code) <= set(string.ascii_uppercase + "234567")
        assert "=" not in code
        assert rules.is_verification_code(code)
    # Every base32 symbol shows up across 13 000 characters: the whole alphabet is in use.
    assert set("".join(codes)) == set(rules.VERIFICATION_CODE_ALPHABET)
    assert rules.VERIFICATION_CODE_BITS == 26 * 5 >= 128


@pytest.mark.parametrize(
    ("code", "grouped"),
    [
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ"),
        ("abcd efgh ijkl mnop qrst uvwx yz", "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ"),
        ("ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ", "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ"),
        ("ABCDEFGH", "ABCD-EFGH"),
        ("", ""),
    ],
)
def test_group_code(code, grouped):
    assert rules.group_code(code) == grouped


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        (" abcd-efgh ijkl ", "ABCDEFGHIJKL"),
        ("ABCD–EFGH—IJKL", "ABCDEFGHIJKL"),  # en and em dashes from a word processor
        ("abcd\tefgh\n", "ABCDEFGH"),
        ("ABCD--EFGH", "ABCDEFGH"),
    ],
)
def test_normalise_code(typed, normalised):
    assert rules.normalise_code(typed) == normalised


def test_code_round_trip():
    code = rules.new_verification_code()
    assert rules.normalise_code(rules.group_code(code)) == code
    assert rules.normalise_code(rules.group_code(code).lower()) == code
    assert rules.is_verification_code(rules.group_code(code).lower())


@pytest.mark.parametrize(
    "typed",
    ["ABCDEFGHIJKLMNOPQRSTUVWXY", "ABCDEFGHIJKLMNOPQRSTUVWXYZ2", "ABCDEFGHIJKLMNOPQRSTUVWXY0"],
)
def test_is_verification_code_rejects(typed):
    assert not rules.is_verification_code(typed)


# ---------------------------------------------------------------------------------------------
# JP
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "year"),
    [
        # 31 Dec 2024 16:59 UTC is 23:59 in Jakarta (UTC+7): still 2024.
        (datetime(2024, 12, 31, 16, 59, tzinfo=UTC), 2024),
        # 17:00 UTC is midnight in Jakarta: 2025.
        (datetime(2024, 12, 31, 17, 0, tzinfo=UTC), 2025),
        (datetime(2025, 1, 1, 0, 30, tzinfo=WIB), 2025),
        (datetime(2024, 12, 31, 23, 59, tzinfo=WIB), 2024),
        # 1 Jan 2025 01:00 in UTC+9 (WIT) is 31 Dec 2024 23:00 in Jakarta.
        (datetime(2025, 1, 1, 1, 0, tzinfo=ZoneInfo("Asia/Jayapura")), 2024),
        (datetime(2025, 1, 1, 6, 0, tzinfo=UTC) - timedelta(hours=12), 2025),
    ],
)
def test_jp_year_counts_in_jakarta(moment, year):
    assert rules.jp_year(moment) == year


def test_jp_year_needs_an_aware_datetime():
    with pytest.raises(RuleError):
        rules.jp_year(datetime(2025, 1, 1, 0, 0))


def test_jp_phrase():
    assert rules.jp_phrase(20) == "20 (dua puluh) jam pelajaran"
    assert rules.jp_phrase(2) == "2 (dua) jam pelajaran"
    assert rules.jp_phrase(45) == "45 (empat puluh lima) jam pelajaran"


# ---------------------------------------------------------------------------------------------
# terbilang
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "nol"),
        (1, "satu"),
        (2, "dua"),
        (7, "tujuh"),
        (9, "sembilan"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (15, "lima belas"),
        (19, "sembilan belas"),
        (20, "dua puluh"),
        (21, "dua puluh satu"),
        (32, "tiga puluh dua"),
        (40, "empat puluh"),
        (45, "empat puluh lima"),
        (68, "enam puluh delapan"),
        (99, "sembilan puluh sembilan"),
        (100, "seratus"),
        (101, "seratus satu"),
        (110, "seratus sepuluh"),
        (111, "seratus sebelas"),
        (115, "seratus lima belas"),
        (120, "seratus dua puluh"),
        (200, "dua ratus"),
        (250, "dua ratus lima puluh"),
        (311, "tiga ratus sebelas"),
        (999, "sembilan ratus sembilan puluh sembilan"),
        (1000, "seribu"),
        (1001, "seribu satu"),
        (1100, "seribu seratus"),
        (1999, "seribu sembilan ratus sembilan puluh sembilan"),
        (2000, "dua ribu"),
        (11000, "sebelas ribu"),
        (100000, "seratus ribu"),
        (1000000, "satu juta"),
        (2500000, "dua juta lima ratus ribu"),
        (1000000000, "satu miliar"),
    ],
)
def test_terbilang(n, words):
    assert rules.terbilang(n) == words


def test_terbilang_1_to_999_are_distinct_and_tidy():
    seen = {rules.terbilang(n) for n in range(1, 1000)}
    assert len(seen) == 999
    for words in seen:
        assert words == words.strip()
        assert "  " not in words
        assert "satu puluh" not in words
        assert "satu ratus" not in words
        assert "satu belas" not in words


@pytest.mark.parametrize("n", [-1, 10**12, True, 1.5, "20"])
def test_terbilang_rejects(n):
    with pytest.raises(RuleError):
        rules.terbilang(n)


# ---------------------------------------------------------------------------------------------
# Required level by position
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "jenjang", "level"),
    [
        ("jpt_utama", None, 5),
        ("jpt_madya", None, 5),
        ("jpt_pratama", None, 4),
        ("administrator", None, 3),
        ("pengawas", None, 2),
        ("pelaksana", None, 1),
        ("pelaksana", "", 1),
        ("administrator", "ahli_utama", 3),  # jenjang ignored outside fungsional
        ("fungsional", "ahli_utama", 4),
        ("fungsional", "ahli_madya", 3),
        ("fungsional", "ahli_muda", 2),
        ("fungsional", "ahli_pertama", 1),
        ("fungsional", "terampil", 1),
        ("fungsional", "pemula", 1),
        ("fungsional", "mahir", 1),
        ("fungsional", "penyelia", 1),
    ],
)
def test_required_level_for_position(kind, jenjang, level):
    assert rules.required_level_for_position(kind, jenjang) == level


@pytest.mark.parametrize(
    ("kind", "jenjang", "part"),
    [
        ("fungsional", None, "jenjang"),
        ("fungsional", "", "jenjang"),
        ("fungsional", "ahli", "jenjang"),
        ("struktural", None, "kind"),
        ("JPT_UTAMA", None, "kind"),
    ],
)
def test_required_level_for_position_rejects(kind, jenjang, part):
    with pytest.raises(RuleError) as error:
        rules.required_level_for_position(kind, jenjang)
    assert error.value.part == part


# ---------------------------------------------------------------------------------------------
# Rounding helper and seed data
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "rounded"),
    [
        (Fraction(90625, 1000), "90.63"),
        (Decimal("2.675"), "2.68"),
        (2.675, "2.68"),  # the float prints as 2.675; its binary value is just below
        (Decimal("2.665"), "2.67"),  # half up, not half to even
        (Decimal("-1.005"), "-1.01"),
        (0, "0.00"),
        (100, "100.00"),
        (Fraction(2, 3), "0.67"),
    ],
)
def test_round_half_up(value, rounded):
    assert str(rules.round_half_up(value, 2)) == rounded


@pytest.mark.parametrize("value", [float("nan"), float("inf"), Decimal("NaN"), Decimal("-Inf")])
def test_round_half_up_rejects_non_finite(value):
    with pytest.raises(RuleError):
        rules.round_half_up(value)


def test_kamus_kompetensi_seed_data_carries_its_citation():
    data = json.loads(KAMUS_KOMPETENSI_PATH.read_text(encoding="utf-8"))
    assert "PermenPANRB No. 38 Tahun 2017" in data["source"]
    codes = [item["kode"] for item in data["kompetensi"]]
    assert codes == [f"M.{i}" for i in range(1, 9)] + ["SK.1"]
    for item in data["kompetensi"]:
        assert [level["level"] for level in item["levels"]] == [1, 2, 3, 4, 5]
        assert all(level["deskripsi"] and level["indikator"] for level in item["levels"])
    readme = KAMUS_KOMPETENSI_PATH.with_name("README.md").read_text(encoding="utf-8")
    assert "PermenPANRB" in readme
    assert "Nomor 38 Tahun 2017" in readme
