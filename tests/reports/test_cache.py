"""The HR dashboards' sections are cached by cache version (core/dataversion.py): a service's
write shows at the next request, a bulk load outside the services after
``manage.py invalidate_caches`` (what the loaders and the restore script run), and a cold cache
stays within the same query bound as a warm one."""

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command

from kompetensi import services
from kompetensi.models import Employee

from .test_data import build_world, grow

pytestmark = pytest.mark.django_db


def _total(response) -> int:
    return response.context["dash"]["kpis"]["total"]


def test_writes_show_at_the_next_request(client, make_user):
    world = build_world()
    hr = make_user("hr-c", "BKPSDM")
    client.force_login(hr)
    first = _total(client.get("/sdm/"))
    assert _total(client.get("/sdm/")) == first  # served from the cache

    grow(world, 5)  # bulk_create outside any service: it names no cache version itself
    call_command("invalidate_caches", stdout=StringIO())
    assert _total(client.get("/sdm/")) == first + 5
    unit = client.get("/sdm/unit/DINKES/")
    total_unit = _total(unit)

    # A service's writes name what they changed: the next request shows them.
    for employee in Employee.objects.filter(unit__code__in=["DINKES", "DINKES-P"]):
        services.employee_update(actor=hr, employee=employee, is_active=False)
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
