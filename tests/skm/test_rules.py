"""Tests of skm.rules: the citizen satisfaction survey's pure rules (PermenPANRB 14/2017,
DOMAIN.md): the nine elements and their wording, the IKM and its category, and the u7 →
training need rule. No database, no network. (Moved from tests/kompetensi/test_rules.py with
the rules themselves.)"""

import os
from decimal import Decimal
from fractions import Fraction

import pytest
from django.conf import settings
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from skm import rules
from skm.rules import RuleError

if not settings.configured and not os.environ.get("DJANGO_SETTINGS_MODULE"):
    # Run on its own (``-p no:django``): lazy messages then need only minimal settings.
    settings.configure(USE_I18N=False)


def message(error: pytest.ExceptionInfo[BaseException]) -> str:
    """The error's message as an Indonesian reader sees it."""
    with translation.override("id"):
        return str(error.value)


# ---------------------------------------------------------------------------------------------
# SKM elements and wording (PermenPANRB 14/2017)
# ---------------------------------------------------------------------------------------------


def test_skm_elements_in_order():
    with translation.override("id"):
        assert list(rules.SKM_ELEMENTS) == [f"u{i}" for i in range(1, 10)]
        assert [str(name) for name in rules.SKM_ELEMENTS.values()] == [
            "Persyaratan",
            "Sistem, Mekanisme, dan Prosedur",
            "Waktu Penyelesaian",
            "Biaya/Tarif",
            "Produk Spesifikasi Jenis Pelayanan",
            "Kompetensi Pelaksana",
            "Perilaku Pelaksana",
            "Penanganan Pengaduan, Saran dan Masukan",
            "Sarana dan Prasarana",
        ]


@pytest.mark.parametrize(
    ("code", "answers"),
    [
        ("u1", ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"]),
        ("u2", ["Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"]),
        ("u3", ["Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"]),
        ("u4", ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"]),
        ("u5", ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"]),
        ("u6", ["Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"]),
        (
            "u7",
            [
                "Tidak sopan dan ramah",
                "Kurang sopan dan ramah",
                "Sopan dan ramah",
                "Sangat sopan dan ramah",
            ],
        ),
        (
            "u8",
            [
                "Tidak ada",
                "Ada tetapi tidak berfungsi",
                "Berfungsi kurang maksimal",
                "Dikelola dengan baik",
            ],
        ),
        ("u9", ["Buruk", "Cukup", "Baik", "Sangat baik"]),
    ],
)
def test_skm_answer_wording(code, answers):
    element = rules.SKM_ELEMENT_DETAILS[code]
    with translation.override("id"):
        assert [str(a) for a in rules.SKM_ANSWERS[code]] == answers
        assert [(v, str(label)) for v, label in element.choices] == list(
            enumerate(answers, start=1)
        )
        question = str(rules.SKM_QUESTIONS[code])
    assert question.startswith("Bagaimana ")
    assert question.endswith("?")


def test_skm_questions_match_their_elements():
    with translation.override("id"):
        assert "persyaratan" in str(rules.SKM_QUESTIONS["u1"])
        assert "prosedur" in str(rules.SKM_QUESTIONS["u2"])
        assert "waktu" in str(rules.SKM_QUESTIONS["u3"])
        assert "biaya/tarif" in str(rules.SKM_QUESTIONS["u4"])
        assert "produk" in str(rules.SKM_QUESTIONS["u5"])
        assert "kompetensi" in str(rules.SKM_QUESTIONS["u6"])
        assert "kesopanan dan keramahan" in str(rules.SKM_QUESTIONS["u7"])
        assert "pengaduan" in str(rules.SKM_QUESTIONS["u8"])
        assert "sarana dan prasarana" in str(rules.SKM_QUESTIONS["u9"])


# ---------------------------------------------------------------------------------------------
# IKM
# ---------------------------------------------------------------------------------------------


def sums_of(*values: int) -> dict[str, int]:
    return {f"u{i}": value for i, value in enumerate(values, start=1)}


def test_ikm_worked_example_four_respondents():
    # Answers u1..u9 of four respondents:
    #   r1: 3 3 3 4 3 3 3 3 3
    #   r2: 4 3 4 4 3 4 4 3 3
    #   r3: 3 3 2 4 3 3 3 2 3
    #   r4: 3 4 3 4 4 3 4 3 3
    # sums:   13 13 12 16 13 13 14 11 12
    # NRR:    3.25 3.25 3.00 4.00 3.25 3.25 3.50 2.75 3.00   (sum / 4)
    # Σ NRR = 29.25; IKM = 29.25 × 1/9 = 3.25; unit = 3.25 × 25 = 81.25 -> B (Baik).
    # (With the weight written as 0.111 it would be 3.24675 and 81.17: the exact 1/9 matters.)
    answers = [
        (3, 3, 3, 4, 3, 3, 3, 3, 3),
        (4, 3, 4, 4, 3, 4, 4, 3, 3),
        (3, 3, 2, 4, 3, 3, 3, 2, 3),
        (3, 4, 3, 4, 4, 3, 4, 3, 3),
    ]
    sums, count = rules.skm_sums(sums_of(*row) for row in answers)
    assert sums == sums_of(13, 13, 12, 16, 13, 13, 14, 11, 12)
    assert count == 4

    result = rules.ikm_from_sums(sums, count)
    assert result.responses == 4
    assert result.per_element == {
        "u1": Decimal("3.25"),
        "u2": Decimal("3.25"),
        "u3": Decimal("3"),
        "u4": Decimal("4"),
        "u5": Decimal("3.25"),
        "u6": Decimal("3.25"),
        "u7": Decimal("3.5"),
        "u8": Decimal("2.75"),
        "u9": Decimal("3"),
    }
    assert result.ikm == Decimal("3.25")
    assert result.ikm_unit == Decimal("81.25")
    assert result.ikm_unit_display == Decimal("81.25")
    assert str(result.ikm_unit_display) == "81.25"
    assert result.category == "B"
    assert result.quality == "Baik"


def test_ikm_repeating_decimals_are_kept_unrounded():
    # Three respondents, each element summing to 10: NRR = 10/3 each, IKM = 10/3 = 3.333...,
    # unit = 250/3 = 83.333... -> shown 83.33, B.
    result = rules.ikm_from_sums(sums_of(*[10] * 9), 3)
    assert result.per_element["u1"] == Decimal("3.333333333333333333333333333")
    assert result.ikm == Decimal("3.333333333333333333333333333")
    assert result.ikm_unit == Decimal("83.33333333333333333333333333")
    assert result.ikm_unit_display == Decimal("83.33")
    assert result.category == "B"


@pytest.mark.parametrize(
    ("answer", "ikm", "unit", "category", "quality"),
    [
        # Ten respondents all answering 4: Σ NRR = 36, IKM = 36/9 = 4, unit 100.00 (0.111 gives
        # 3.996 and 99.90).
        (4, Decimal("4"), Decimal("100.00"), "A", "Sangat Baik"),
        # All answering 1: IKM = 9/9 = 1, unit 25.00.
        (1, Decimal("1"), Decimal("25.00"), "D", "Tidak Baik"),
        # All 3: IKM 3, unit 75.00 -> C.
        (3, Decimal("3"), Decimal("75.00"), "C", "Kurang Baik"),
    ],
)
def test_ikm_uniform_answers(answer, ikm, unit, category, quality):
    result = rules.ikm_from_sums(sums_of(*[answer * 10] * 9), 10)
    assert result.ikm == ikm
    assert result.ikm_unit_display == unit
    assert result.category == category
    assert result.quality == quality


@pytest.mark.parametrize(
    ("element_sums", "display", "category"),
    [
        # 250 respondents, so unit = 25 × (S / 250) / 9 = S / 90 where S is the total of sums.
        # S = 8 × 650 + 649 = 5849: 5849 / 90 = 64.9888... -> 64.99 -> D (last D value).
        ([650] * 8 + [649], "64.99", "D"),
        # S = 9 × 650 = 5850: 65.00 exactly -> C (first C value).
        ([650] * 9, "65.00", "C"),
        # S = 9 × 766 = 6894: 76.60 exactly -> C (last C value).
        ([766] * 9, "76.60", "C"),
        # S = 8 × 766 + 767 = 6895: 76.6111... -> 76.61 -> B (first B value).
        ([766] * 8 + [767], "76.61", "B"),
        # S = 9 × 883 = 7947: 88.30 exactly -> B (last B value).
        ([883] * 9, "88.30", "B"),
        # S = 8 × 883 + 884 = 7948: 88.3111... -> 88.31 -> A (first A value).
        ([883] * 8 + [884], "88.31", "A"),
    ],
)
def test_ikm_category_boundaries_from_sums(element_sums, display, category):
    result = rules.ikm_from_sums(sums_of(*element_sums), 250)
    assert abs(Fraction(result.ikm_unit) - Fraction(sum(element_sums), 90)) < Fraction(1, 10**20)
    assert str(result.ikm_unit_display) == display
    assert result.category == category
    assert result.quality == rules.IKM_QUALITY[category]


@pytest.mark.parametrize(
    ("value", "category"),
    [
        (Decimal("25.00"), "D"),
        (25, "D"),
        (Decimal("24.995"), "D"),  # shown as 25.00
        (Decimal("64.99"), "D"),
        (Decimal("64.994"), "D"),  # shown as 64.99
        (Decimal("64.995"), "C"),  # shown as 65.00
        (64.995, "C"),  # a float counts as the decimal it prints as
        (Decimal("65.00"), "C"),
        (Decimal("76.60"), "C"),
        (Decimal("76.604999"), "C"),
        (Decimal("76.605"), "B"),
        (Decimal("76.61"), "B"),
        (Decimal("88.30"), "B"),
        (Decimal("88.3049"), "B"),
        (Decimal("88.305"), "A"),
        (Decimal("88.31"), "A"),
        (Decimal("100.00"), "A"),
        (Fraction(5849, 90), "D"),
        (Fraction(6895, 90), "B"),
    ],
)
def test_ikm_category_compares_the_value_rounded_to_two_decimals(value, category):
    assert rules.ikm_category(value) == category


@pytest.mark.parametrize("value", [Decimal("24.99"), Decimal("24.994"), Decimal("100.005"), 0])
def test_ikm_category_out_of_range(value):
    with pytest.raises(RuleError):
        rules.ikm_category(value)


@pytest.mark.parametrize("element_sums", [{}, sums_of(*[0] * 9)])
def test_ikm_without_respondents_is_empty(element_sums):
    result = rules.ikm_from_sums(element_sums, 0)
    assert result.responses == 0
    assert result.per_element == dict.fromkeys(rules.SKM_CODES)
    assert result.ikm is None
    assert result.ikm_unit is None
    assert result.ikm_unit_display is None
    assert result.category is None
    assert result.quality is None


@pytest.mark.parametrize(
    ("element_sums", "respondents", "part"),
    [
        ({k: v for k, v in sums_of(*[8] * 9).items() if k != "u9"}, 2, "u9"),  # missing
        (sums_of(*[8] * 8, 1), 2, "u9"),  # below 1 × respondents
        (sums_of(9, *[8] * 8), 2, "u1"),  # above 4 × respondents
        ({**sums_of(*[8] * 9), "u10": 8}, 2, "u10"),  # unknown element
        (sums_of(*[8] * 9), -1, "respondents"),
        (sums_of(*[1] * 9), 0, "respondents"),  # sums without respondents
    ],
)
def test_ikm_from_sums_rejects_inconsistent_input(element_sums, respondents, part):
    with pytest.raises(RuleError) as error:
        rules.ikm_from_sums(element_sums, respondents)
    assert error.value.part == part


def test_ikm_from_sums_message_names_the_element():
    with pytest.raises(RuleError) as error:
        rules.ikm_from_sums(sums_of(9, *[8] * 8), 2)
    assert message(error) == "jumlah nilai unsur u1 harus antara 2 dan 8"


@pytest.mark.parametrize(
    ("response", "part"),
    [
        ({k: v for k, v in sums_of(*[3] * 9).items() if k != "u4"}, "u4"),
        (sums_of(3, 3, 3, 3, 5, 3, 3, 3, 3), "u5"),
        (sums_of(0, 3, 3, 3, 3, 3, 3, 3, 3), "u1"),
        ({**sums_of(*[3] * 9), "u0": 3}, "u0"),
    ],
)
def test_skm_sums_rejects_bad_responses(response, part):
    with pytest.raises(RuleError) as error:
        rules.skm_sums([sums_of(*[4] * 9), response])
    assert error.value.part == part


@given(st.lists(st.tuples(*[st.integers(1, 4)] * 9), min_size=1, max_size=40))
def test_ikm_matches_the_formula_for_any_responses(answers):
    sums, count = rules.skm_sums(sums_of(*row) for row in answers)
    result = rules.ikm_from_sums(sums, count)
    exact = sum(Fraction(sum(row[i] for row in answers), len(answers)) for i in range(9)) / 9
    assert Fraction(1) <= exact <= Fraction(4)
    assert abs(Fraction(result.ikm) - exact) < Fraction(1, 10**25)
    assert abs(Fraction(result.ikm_unit) - exact * 25) < Fraction(1, 10**24)
    shown = result.ikm_unit_display
    assert Decimal("25.00") <= shown <= Decimal("100.00")
    expected = "D" if shown < 65 else "C" if shown <= Decimal("76.60") else "B"
    if shown >= Decimal("88.31"):
        expected = "A"
    assert result.category == expected


# ---------------------------------------------------------------------------------------------
# Feedback -> training need
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mean", "responses", "needed"),
    [
        (Decimal("3.0643"), 10, True),
        (Decimal("3.0644"), 10, False),  # at the threshold: no need
        (Decimal("3.0643"), 9, False),  # too few responses
        (Decimal("1"), 100, True),
        (Fraction(30643, 10000), 10, True),
        (3.0643, 12, True),
        (3.0644, 12, False),
        (Decimal("4"), 50, False),
        (None, 50, False),
    ],
)
def test_feedback_needs_training(mean, responses, needed):
    assert rules.feedback_needs_training(mean, responses) is needed
