"""Schemathesis hooks for the SIKAP API (loaded by ``schemathesis.toml``: ``hooks = ...``).

``positive_data_acceptance`` is configured to accept 422 (``schemathesis.toml``): the API
answers 422 for bad input that no OpenAPI schema can describe (a unit code that does not
exist, an end date before the start, a lesson without a quiz), as API.md's conventions say.
What that check would then miss is kept by :func:`request_validation_agrees_with_schema`:
data the document calls valid must never be refused by the API's own *request validation*
(django-ninja's 422, the one whose body lists ``errors``). Such a refusal means a rule of the
validator is missing from the document."""

from __future__ import annotations

import schemathesis


@schemathesis.check
def request_validation_agrees_with_schema(ctx, response, case):
    meta = getattr(case, "meta", None)
    generation = getattr(meta, "generation", None)
    if generation is None or not generation.mode.is_positive:
        return None
    if response.status_code != 422:
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    if not isinstance(body, dict) or not body.get("errors"):
        return None
    if all(_link_value_of_wrong_type(error, case) for error in body["errors"]):
        return None
    if body.get("errors"):
        raise AssertionError(
            "Data yang sah menurut dokumen OpenAPI ditolak oleh validasi permintaan "
            f"(aturan validasi tidak tercantum di dokumen): {body.get('detail')}"
        )
    return None


def _link_value_of_wrong_type(error: dict, case) -> bool:
    """A path value the stateful phase copied from a response through an OpenAPI link (e.g.
    a forum's ``module_id`` that is null, sent as ``/modules/None``) is not data the document
    calls valid: a refusal to parse it as the declared type is not a missing rule."""
    loc = error.get("loc") or []
    if len(loc) < 2 or loc[0] != "path" or not str(error.get("type", "")).endswith("_parsing"):
        return False
    value = (getattr(case, "path_parameters", None) or {}).get(loc[1])
    return value is None or not str(value).lstrip("-").isdigit()
