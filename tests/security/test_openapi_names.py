"""Every schema in /api/v1/openapi.json belongs to one class only.

OpenAPI components are global and django-ninja names them after the class, so two routers
that each define e.g. ``CompetencyOut`` silently overwrite each other in the document: API
clients generated from it get a wrong type (this happened once; the fuzz test caught it)."""

from collections import defaultdict

from pydantic import BaseModel

from core.api import api


def _models(annotation, seen: set):
    """Every pydantic model reachable from a type annotation."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        yield annotation
        for field in annotation.model_fields.values():
            yield from _models(field.annotation, seen)
        return
    for arg in getattr(annotation, "__args__", ()) or ():
        yield from _models(arg, seen)


def test_openapi_schema_names_are_unique():
    api.get_openapi_schema()  # make sure every router is mounted and bound
    classes: dict[str, set[str]] = defaultdict(set)
    seen: set = set()
    for _prefix, router in api._routers:
        for view in router.path_operations.values():
            for operation in view.operations:
                models = list(operation.response_models.values()) + list(operation.models)
                for model in models:
                    for found in _models(model, seen):
                        name = found.__name__
                        if name in {"Response", "Input", "NinjaResponseSchema"} or name.endswith(
                            ("Params", "Body")
                        ):
                            continue  # ninja's own per-operation wrappers
                        classes[name].add(f"{found.__module__}.{found.__qualname__}")
    duplicated = {name: sorted(where) for name, where in classes.items() if len(where) > 1}
    assert not duplicated, f"nama skema OpenAPI dipakai lebih dari satu kelas: {duplicated}"
