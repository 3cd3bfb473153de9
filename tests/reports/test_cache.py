"""The HR dashboards' sections are cached by data version: a write of any kind (a bulk insert
by an importer, an update by a service) shows at the next request, and a cold cache stays
within the same query bound as a warm one."""

import pytest
from django.core.cache import cache

from kompetensi.models import Employee

from .test_data import build_world, grow

pytestmark = pytest.mark.django_db


def _total(response) -> int:
    return response.context["dash"]["kpis"]["total"]


def test_bulk_writes_show_at_the_next_request(client, make_user):
    world = build_world()
    client.force_login(make_user("hr-c", "BKPSDM"))
    first = _total(client.get("/sdm/"))
    assert _total(client.get("/sdm/")) == first  # served from the cache

    grow(world, 5)  # bulk_create: no model signals
    assert _total(client.get("/sdm/")) == first + 5
    unit = client.get("/sdm/unit/DINKES/")
    total_unit = _total(unit)

    Employee.objects.filter(unit__code__in=["DINKES", "DINKES-P"]).update(is_active=False)
    assert _total(client.get("/sdm/unit/DINKES/")) == 0 < total_unit
    assert b'0</span><span class="label">' in client.get("/sdm/unit/DINKES/").content


@pytest.mark.parametrize("n", [10, 300])
def test_cold_cache_runs_a_fixed_number_of_queries(
    n, client, make_user, django_assert_max_num_queries
):
    world = build_world()
    grow(world, n)
    client.force_login(make_user("hr-cold", "BKPSDM"))
    client.get("/sdm/")  # per-process caches (content types, site)
    cache.clear()
    client.force_login(make_user("hr-cold2", "BKPSDM"))
    with django_assert_max_num_queries(17):
        assert client.get("/sdm/").status_code == 200
