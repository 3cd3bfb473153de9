"""The HR admin of kompetensi in Wagtail, by subject: the models' permission policies
(``policies``) and the viewsets: ``organisation`` (units, the competency dictionary,
positions), ``people`` (employees, periods, SKP results) and ``access`` (the audit log, HR
scopes). They build on the scoped machinery of ``kompetensi/admin_views.py`` (which skm's
admin uses too); ``kompetensi/wagtail_hooks.py`` registers them."""
