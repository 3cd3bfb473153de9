"""The REST API v1 under /api/v1/: core's API object (authentication, JSON errors, the health
endpoint) with the router of each app mounted on it. Each app keeps its own ``api.py`` with
one ``Router``; this module only mounts them (the project is the one place that knows every
app)."""

from core.api import api, health_router
from forum.api import router as forum_router
from kompetensi.api import router as kompetensi_router
from portal.api import router as pages_router
from reports.api import router as reports_router
from skm.api import router as skm_router
from workflow.api import router as workflow_router

api.add_router("", health_router)
api.add_router("", kompetensi_router)
api.add_router("", skm_router)
api.add_router("", pages_router)
api.add_router("", workflow_router)
api.add_router("", reports_router)
api.add_router("", forum_router)

__all__ = ["api"]
