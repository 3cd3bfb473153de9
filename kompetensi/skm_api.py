"""REST endpoints of the citizen satisfaction survey (SKM): /feedback, /units/{code}/ikm."""

from ninja import Router

router = Router(tags=["umpan balik masyarakat"])
