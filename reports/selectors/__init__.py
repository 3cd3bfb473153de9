"""Reads behind the HR (BKPSDM) dashboards, exports and the unit report API, one module per
page or subject:

* ``scope``: :class:`~reports.selectors.scope.Scope` (the unit subtrees a report covers), the
  period and year of a report, percentages;
* ``dashboard``: the per-employee facts and the sections of the city overview and unit view;
* ``unit``: the unit view's employee list and the unit report of the API;
* ``employee``: one employee's development history;
* ``jp``: JP earned per employee and year; ``skm``: citizen satisfaction (IKM) in reports;
* ``effectiveness``: training effectiveness; ``training_history``: the SIASN riwayat-kursus
  export.

Every function runs a fixed number of set-based queries whatever the number of employees:
counts and sums are done by the database (``annotate``/``aggregate`` with conditional
aggregation and correlated subqueries); Python only rolls already-aggregated rows up the unit
tree (the number of such rows is bounded by the number of units, never by people).

Scoping: a :class:`~reports.selectors.scope.Scope` is built from
``kompetensi.permissions.hr_scope_paths`` (all units, or the subtrees an officer was granted)
or from one visible unit's subtree. Every query filters through it, so an officer of one unit
never counts another unit's people.

Definitions used on the pages (SIKAP's choices, stated on the pages too):
- *assessed*: the employee has at least one assessed level in the competency profile.
- *with gap*: ``EmployeeCompetency.gap > 0``; *mean gap* is the mean over those employees.
- *JP of a year*: sum of ``Assignment.jp`` of completed/certified assignments whose
  ``completion_year`` (Asia/Jakarta) is that year and whose certificate was not revoked
  (``workflow.selectors.credited_assignments``), plus approved external learning ending in
  it; compliant when ≥ ``rules.JP_TARGET``.
- *report year*: the calendar year the selected evaluation period starts in.
- *development review*: ``Employee.development_review`` or a weak SKP predicate in the
  selected period (``kompetensi.selectors.weak_skp_exists``).
"""
