"""Extension points other apps plug into (kompetensi imports none of them).

``summary_providers``: callables ``provider(employee) -> dict`` whose results are merged into
the employee summary (``GET /api/v1/employees/{nip}/summary`` and "Kinerja Saya"). kompetensi
cannot know the JP an employee earned or their open training needs (workflow data), so the
workflow app appends a provider in its ``AppConfig.ready()``::

    from kompetensi.extensions import summary_providers

    def _summary(employee) -> dict:
        return {"jp_this_year": ..., "open_needs": ...}

    summary_providers.append(_summary)

Until a provider answers, ``jp_this_year`` and ``open_needs`` are 0. Keys a provider may set:
``jp_this_year`` (int) and ``open_needs`` (int); other keys are ignored by the API.
A provider must run a fixed number of queries (it runs once per summary).
"""

from collections.abc import Callable
from typing import Any

summary_providers: list[Callable[[Any], dict]] = []
