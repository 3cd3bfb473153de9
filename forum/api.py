"""REST endpoints of the forum app (see ../shared/design/API.md)."""

from ninja import Router

router = Router(tags=["forum"])
