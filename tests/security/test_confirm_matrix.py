"""The confirmation of irreversible acts (issue #17, core/confirm.py) in the write matrix:
every HTML case that sends ``confirmed=1`` is sent again without it, by every role. Whoever
the confirmed request lets act sees the confirmation (200) and nothing is written; whoever it
refuses or turns away gets exactly the same answer as for the act itself (the confirmation
page is not reachable by someone who may not act), and nothing is written either."""

from __future__ import annotations

import dataclasses

import pytest

from .demo_world import demo  # noqa: F401 - module-scoped fixture
from .test_write_matrix import EXPECTED_HTML, no_pdf  # noqa: F401 - fixture
from .write_cases import CONFIRMED, ROLES, html_cases, run_attempt

pytestmark = pytest.mark.django_db


def _unconfirmed(case):
    def data(c, original=case.data):
        return {k: v for k, v in original(c).items() if k not in CONFIRMED}

    return dataclasses.replace(case, data=data)


def _confirmed_cases():
    cases = []
    for case in html_cases():
        if case.data is None:
            continue
        code = case.data.__code__
        if "CONFIRMED" in code.co_names:
            cases.append(case)
    return cases


def test_the_acts_that_ask_are_those_of_the_issue():
    assert sorted(case.key for case in _confirmed_cases()) == [
        "sdm/impor-pegawai/ #impor",
        "sdm/impor-skp/ #impor",
        "sdm/pembelajaran-eksternal/<int:pk>/setujui/",
        "sdm/pembelajaran-eksternal/<int:pk>/tolak/",
        "sdm/periode/<str:code>/status/",
        "sdm/rekomendasi/ #batalkan",
        "sdm/rekomendasi/ #setujui",
        "sdm/rekomendasi/<int:pk>/ #batalkan",
        "sdm/rekomendasi/<int:pk>/ #setujui",
        "sdm/rekomendasi/<int:pk>/ #simpan",
        "sdm/sertifikat/<str:code>/terbitkan-ulang/",
        "sertifikat/<str:code>/cabut/",
    ]


def test_an_unconfirmed_act_asks_and_writes_nothing(demo, client, no_pdf):  # noqa: F811
    wrong = {}
    for case in _confirmed_cases():
        asked = _unconfirmed(case)
        for role, expected in zip(ROLES, EXPECTED_HTML[case.key], strict=True):
            outcome = run_attempt(client, asked, demo, role, channel="html")
            acts = isinstance(expected, str)
            want = 200 if acts else expected
            if case.key.endswith("#simpan"):  # saving is not irreversible: it does not ask
                want = expected
                if outcome.cell != want:
                    wrong[(case.key, role)] = (want, outcome.cell)
                continue
            if outcome.status != want or outcome.written:
                wrong[(case.key, role)] = (want, outcome.cell, sorted(outcome.written))
    assert not wrong, f"(expected, got) per case and role: {wrong}"
