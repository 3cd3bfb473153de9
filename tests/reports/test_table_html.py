"""``Table.body_html`` (Python) prints exactly what the template loop it replaced printed."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.template import engines
from django.utils import translation
from django.utils.translation import gettext_lazy

from reports.exports import Column, Table

OLD_LOOP = """{% load i18n %}{% for row in table.cells %}<tr>{% for value, numeric, url in row %}{% if forloop.first %}<th scope="row">{% if url %}<a href="{{ url }}">{{ value|default_if_none:"–" }}</a>{% else %}{{ value|default_if_none:"–" }}{% endif %}</th>{% else %}<td{% if numeric %} class="num"{% endif %}>{{ value|default_if_none:"–" }}</td>{% endif %}{% endfor %}</tr>{% empty %}<tr><td colspan="{{ table.screen_columns|length }}" class="empty">{% trans "Belum ada data." %}</td></tr>{% endfor %}"""  # noqa: E501


def _old(table) -> str:
    return engines["django"].from_string(OLD_LOOP).render({"table": table})


def _table(rows, links=None):
    return Table(
        key="t",
        title="T",
        columns=[
            Column("name", "Nama"),
            Column("hidden", "Tersembunyi", screen=False),
            Column("n", "Jumlah", True),
            Column("pct", "Persen", True),
            Column("when", "Tanggal"),
            Column("label", "Status"),
        ],
        rows=rows,
        links=links or {},
    )


@pytest.mark.parametrize("language", ["id", "en"])
def test_same_markup_as_the_template_loop(language):
    rows = [
        {
            "name": "<script>alert(1)</script> & Co",
            "hidden": "x",
            "n": 1234567,
            "pct": Decimal("12.5"),
            "when": date(2026, 3, 1),
            "label": gettext_lazy("Dinilai (%)"),
        },
        {
            "name": "Siti",
            "n": None,
            "pct": 0,
            "when": datetime(2026, 11, 29, 23, 30, tzinfo=UTC),
            "label": "",
        },
        {"name": None, "n": 3.25, "pct": None, "when": None, "label": "a\"b'c"},
    ]
    table = _table(rows, links={0: "/sdm/pegawai/1/?a=1&b=2", 2: "/x/"})
    with translation.override(language):
        assert str(table.body_html()) == _old(table)


def test_empty_table_says_so():
    table = _table([])
    with translation.override("id"):
        assert str(table.body_html()) == _old(table)
        assert "Belum ada data." in table.body_html()
