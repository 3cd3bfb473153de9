"""REST endpoints of HR reports: /units/{code}/report."""

from ninja import Router

router = Router(tags=["laporan"])
