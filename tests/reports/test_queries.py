"""Every HR dashboard page and the unit report API run a fixed number of queries: the same
bound holds at 10 and at 300 extra employees (with their profile, assignments, needs,
certificates, feedback and SKP)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .test_data import NIPS, build_world, grow

pytestmark = pytest.mark.django_db

# (path, params, max queries) — the bound is the same whatever the data size.
PAGES = [
    ("/sdm/", {}, 16),
    ("/sdm/unit/DINKES/", {"urut": "jp"}, 19),
    # 19 + 1 external learning (workflow.external) + 1 audit-log insert (AccessLog is kept
    # out of Wagtail's reference index, which used to add 4).
    (f"/sdm/pegawai/{NIPS['e1']}/", {}, 21),
    ("/sdm/efektivitas/", {}, 10),
    ("/sdm/ekspor/riwayat-kursus/", {"format": "json"}, 10),
    ("/sdm/", {"ekspor": "unit", "format": "xlsx"}, 16),
    ("/sdm/unit/DINKES/", {"ekspor": "pegawai", "format": "csv"}, 19),
]


@pytest.fixture(params=[10, 300], ids=["10-employees", "300-employees"])
def big_world(request, db):
    world = build_world()
    grow(world, request.param)
    return world


@pytest.mark.parametrize(("path", "params", "limit"), PAGES)
def test_pages_run_a_fixed_number_of_queries(
    big_world, client, make_user, django_assert_max_num_queries, path, params, limit
):
    client.force_login(make_user("hr-q", "BKPSDM"))
    client.get(path, params)  # warm per-process caches (content types, site root)
    with django_assert_max_num_queries(limit):
        response = client.get(path, params)
    assert response.status_code == 200


def test_api_unit_report_runs_a_fixed_number_of_queries(
    big_world, api, make_user, django_assert_max_num_queries
):
    client = api(make_user("hr-api", "BKPSDM"))
    client.get("/units/DINKES/report")  # warm per-process caches
    with django_assert_max_num_queries(10):
        response = client.get("/units/DINKES/report")
    assert response.status_code == 200
    assert response.json()["employees"] > 3


def test_query_count_report(big_world, client, make_user):
    """Not an assertion: prints the actual counts (pytest -s) to keep the bounds honest."""
    client.force_login(make_user("hr-print", "BKPSDM"))
    client.get("/sdm/")
    for path, params, _limit in PAGES:
        with CaptureQueriesContext(connection) as ctx:
            client.get(path, params)
        print(path, params, len(ctx.captured_queries))


# Steady state: the sections, the employee list and the employee page's body are fragments
# cached by data version (and, for the employee page, by that person's versions), so a repeat
# view runs only the session/user/scope/period queries (+ the employee page's audit row).
WARM_PAGES = [
    ("/sdm/", {}, 6),
    ("/sdm/unit/DINKES/", {"urut": "jp"}, 7),
    (f"/sdm/pegawai/{NIPS['e1']}/", {}, 8),
]


@pytest.mark.parametrize(("path", "params", "limit"), WARM_PAGES)
def test_repeat_views_are_served_from_the_caches(
    big_world, client, make_user, django_assert_max_num_queries, path, params, limit
):
    client.force_login(make_user("hr-w", "BKPSDM"))
    client.get(path, params)
    with django_assert_max_num_queries(limit):
        response = client.get(path, params)
    assert response.status_code == 200
