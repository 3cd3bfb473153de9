"""Reads that feed pages, reports and the API (workflow).

INTERFACE used by portal pages (HomePage): learner_home(*, user) -> dict with keys
``assignments`` (open assignments with module, due_date, status, progress percent, overdue),
``jp_this_year`` (int), ``jp_target`` (20), ``certificates_count``.
"""


def learner_home(*, user) -> dict:
    return {"assignments": [], "jp_this_year": 0, "jp_target": 20, "certificates_count": 0}
