"""HR (BKPSDM) dashboards under /sdm/, one module per page: ``dashboard`` (the city overview
and the sections it shares with the unit view), ``unit``, ``employee`` (development history),
``effectiveness`` (training effectiveness) and ``exports`` (the SIASN training-history export);
``common`` holds what they share.

Access: HR only (``kompetensi.permissions.hr_scope_paths``): anonymous users are sent to the
login page, other users get 403; a unit or employee outside the officer's units is 404.
Every page runs a fixed number of queries (``reports.selectors``); ``?ekspor=<table>&format=
csv|xlsx`` downloads any table of the page, ``?format=pdf`` the unit or employee report. The
numbers and the rules behind them come from the selectors; the views lay them out as tables
and charts."""
