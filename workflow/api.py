"""REST endpoints of the workflow app (see ../shared/design/API.md)."""

from ninja import Router

router = Router(tags=["workflow"])
