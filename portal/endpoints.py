"""REST endpoints for training modules and lessons (pages): /modules, /lessons/{id}."""

from ninja import Router

router = Router(tags=["pelatihan"])
