"""The OpenAPI document of /api/v1/ as a contract (issue #16, "Quality of the document itself"):

1. every operation has an Indonesian summary and description, tags (one per app), an example
   answer for its success status (and an example body where it reads one, an example for every
   path parameter), and declares its errors with the error shape; every example validates
   against the schema it illustrates;
2. the paths and methods listed in API.md's tables and those of the document agree line by
   line. CI has no ``../shared``: the contract is read from the project's copy ``docs/API.md``
   (a copy of the team's design folder; update it with the design). Lines of API.md that later
   issues build are listed in :data:`PENDING` with their issue number.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema_rs
import pytest

ROOT = Path(__file__).resolve().parents[2]
API_MD = ROOT / "docs" / "API.md"
METHODS = ("get", "post", "put", "patch", "delete")
ERROR_SCHEMAS = {"#/components/schemas/ErrorOut", "#/components/schemas/ValidationErrorOut"}

#: Lines of API.md not built yet, with the issue that builds them ("METHOD path", parameters
#: as API.md names them). Remove a line here when its issue implements it.
PENDING: dict[str, int] = {
    # "Talent and development" (issue #19)
    "GET /api/v1/employees/{nip}/talent": 19,
    "GET /api/v1/units/{code}/talent": 19,
    "GET /api/v1/employees/{nip}/development-plan": 19,
    "PUT /api/v1/employees/{nip}/development-plan": 19,
    "POST /api/v1/employees/{nip}/development-plan/agree": 19,
    "POST /api/v1/employees/{nip}/development-plan/approve": 19,
    "GET /api/v1/positions/{code}/successors": 19,
    # "Performance management" (issue #18)
    "GET /api/v1/employees/{nip}/skp-plan": 18,
    "PUT /api/v1/employees/{nip}/skp-plan": 18,
    "POST /api/v1/employees/{nip}/skp-plan/agree": 18,
    "POST /api/v1/employees/{nip}/work-reports": 18,
    "GET /api/v1/employees/{nip}/work-reports": 18,
    "POST /api/v1/work-reports/{id}/feedback": 18,
    "POST /api/v1/employees/{nip}/performance-ratings": 18,
    "GET /api/v1/employees/{nip}/performance": 18,
    # "Classroom sessions" (issue #20)
    "GET /api/v1/modules/{id}/sessions": 20,
    "POST /api/v1/modules/{id}/sessions": 20,
    "POST /api/v1/sessions/{id}/enrol": 20,
    "POST /api/v1/sessions/{id}/withdraw": 20,
    "POST /api/v1/sessions/{id}/requests/{nip}/approve": 20,
    "POST /api/v1/sessions/{id}/requests/{nip}/reject": 20,
    "GET /api/v1/sessions/{id}/roster": 20,
    "POST /api/v1/sessions/{id}/attendance": 20,
    "GET /api/v1/me/calendar.ics": 20,
    # Open Badges 3.0 credential (issue #22)
    "GET /api/v1/certificates/{number}/credential": 22,
}


@pytest.fixture(scope="module")
def document() -> dict:
    import sikap.api  # noqa: F401 - mounts every app's router
    from core.api import api

    return json.loads(json.dumps(api.get_openapi_schema()))  # keys as served


def _operations(document: dict):
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield f"{method.upper()} {path}", item[method]


def _app(operation: dict) -> str:
    """The app an operation belongs to: ``<app>_api_<function>`` (``SikapAPI``)."""
    return operation["operationId"].partition("_api_")[0]


def _success(operation: dict) -> dict:
    return {code: r for code, r in operation["responses"].items() if code.startswith("2")}


def _is_binary(content: dict) -> bool:
    return content.get("schema", {}).get("format") == "binary"


# -- 1. every operation documented -------------------------------------------------------------

# Words that only an English text has (summary and description are in Bahasa Indonesia).
_ENGLISH = re.compile(r"\b(the|and|with|returns?|which|only|must|this|that|when)\b", re.I)


def _without_code(text: str) -> str:
    return re.sub(r"`[^`]*`", "", text)


def test_every_operation_has_an_indonesian_summary_description_and_tags(document):
    problems = []
    for label, operation in _operations(document):
        for key in ("summary", "description"):
            text = (operation.get(key) or "").strip()
            if not text:
                problems.append(f"{label}: tanpa {key}")
            elif _ENGLISH.search(_without_code(text)):
                problems.append(f"{label}: {key} bukan Bahasa Indonesia: {text[:80]!r}")
        if not operation.get("tags"):
            problems.append(f"{label}: tanpa tags")
    assert not problems, "\n".join(problems)


def test_tags_are_per_app(document):
    """One tag per app: every operation of an app carries the app's tag, and no two apps
    share one."""
    tags_of: dict[str, set[str]] = {}
    for _label, operation in _operations(document):
        tags_of.setdefault(_app(operation), set()).add(tuple(operation.get("tags") or ()))
    assert all(len(tags) == 1 for tags in tags_of.values()), tags_of
    firsts = [next(iter(tags)) for tags in tags_of.values()]
    assert len(set(firsts)) == len(firsts), tags_of


def test_every_operation_has_success_and_request_examples(document):
    problems = []
    for label, operation in _operations(document):
        success = _success(operation)
        if not success:
            problems.append(f"{label}: tanpa status sukses")
        for code, response in success.items():
            for media, content in (response.get("content") or {}).items():
                if _is_binary(content):
                    continue  # a file (the certificate PDF): its media type is the example
                if "example" not in content and "examples" not in content:
                    problems.append(f"{label}: {code} {media} tanpa contoh")
        for media, content in (operation.get("requestBody") or {}).get("content", {}).items():
            if "example" not in content and "examples" not in content:
                problems.append(f"{label}: isi permintaan {media} tanpa contoh")
        parameters = operation.get("parameters", [])
        for parameter in parameters:
            if parameter["in"] == "path" and "example" not in parameter:
                problems.append(f"{label}: parameter {parameter['name']} tanpa contoh")
        # Something for schemathesis' examples phase to send (a list: its ``limit``).
        if parameters and not operation.get("requestBody"):
            if not any("example" in p for p in parameters):
                problems.append(f"{label}: tidak ada parameter dengan contoh")
    assert not problems, "\n".join(problems)


def test_every_operation_declares_its_errors_with_the_error_shape(document):
    """An operation that reads input or needs a token declares its 4xx; one that does neither
    (GET /health) can only fail on the server's side and declares that 500. Every declared
    error has the shape ``{"detail": ...}`` (ErrorOut / ValidationErrorOut)."""
    problems = []
    for label, operation in _operations(document):
        errors = {c: r for c, r in operation["responses"].items() if c[0] in "45"}
        client_errors = [c for c in errors if c.startswith("4")]
        reads = operation.get("parameters") or operation.get("requestBody")
        if (reads or operation.get("security")) and not client_errors:
            problems.append(f"{label}: tidak ada status 4xx yang dideklarasikan")
        if not errors:
            problems.append(f"{label}: tidak ada status galat yang dideklarasikan")
        for code, response in errors.items():
            schema = response.get("content", {}).get("application/json", {}).get("schema", {})
            if schema.get("$ref") not in ERROR_SCHEMAS:
                problems.append(f"{label}: {code} tanpa bentuk galat (ErrorOut)")
    assert not problems, "\n".join(problems)


def _validator(document: dict, schema: dict):
    root = {**schema, "components": document["components"]}
    return jsonschema_rs.Draft202012Validator(root, validate_formats=True)


def _examples(document: dict):
    """(where, schema, example) of every example in the document."""
    for label, operation in _operations(document):
        for code, response in operation["responses"].items():
            for media, content in (response.get("content") or {}).items():
                if "example" in content:
                    yield f"{label} → {code} {media}", content["schema"], content["example"]
        for media, content in (operation.get("requestBody") or {}).get("content", {}).items():
            if "example" in content:
                yield f"{label} isi {media}", content["schema"], content["example"]
        for parameter in operation.get("parameters", []):
            if "example" in parameter:
                where = f"{label} parameter {parameter['name']}"
                yield where, parameter["schema"], parameter["example"]
    for name, schema in document["components"]["schemas"].items():
        for example in schema.get("examples", []) + (
            [schema["example"]] if "example" in schema else []
        ):
            yield f"skema {name}", {"$ref": f"#/components/schemas/{name}"}, example


def test_every_example_validates_against_its_schema(document):
    problems = []
    count = 0
    for where, schema, example in _examples(document):
        count += 1
        if _is_binary({"schema": schema}) and isinstance(example, str):
            continue
        errors = [e.message for e in _validator(document, schema).iter_errors(example)]
        if errors:
            problems.append(f"{where}: {'; '.join(errors[:3])}")
    assert count > 100, count  # the examples are there to be checked
    assert not problems, "\n".join(problems)


def test_multipart_example_fills_every_required_field(document):
    """The import's example is a real CSV the examples phase of schemathesis can send."""
    operation = document["paths"]["/api/v1/employees/import"]["post"]
    content = operation["requestBody"]["content"]["multipart/form-data"]
    assert set(content["schema"]["required"]) <= set(content["example"])
    assert content["example"]["file"].startswith("NIP,")


# -- 2. API.md and the document agree ----------------------------------------------------------

_METHOD = re.compile(r"\b((?:GET|POST|PUT|PATCH|DELETE)(?:/(?:GET|POST|PUT|PATCH|DELETE))*)\b")
_PATH = re.compile(r"`([^`]*/[^`]*)`")
_CELL = re.compile(r"(?<!\\)\|")


def _sibling(previous: str, written: str) -> str:
    """A path written relative to the one before it in the same cell: ``/cancel`` after
    ``/api/v1/assignments/{id}/approve`` replaces the last segment; ``…/skp-plan/agree`` after
    ``/api/v1/employees/{nip}/skp-plan`` continues it from the segment it names."""
    if written.startswith("…"):
        rest = written.lstrip("…")
        first = rest.strip("/").split("/")[0]
        head, sep, _tail = previous.partition(f"/{first}")
        assert sep, (previous, written)
        return head + rest
    return previous.rsplit("/", 1)[0] + written


def _lines_of_cell(cell: str) -> list[str]:
    """``GET/POST `/api/v1/units`, GET/PATCH `/api/v1/units/{code}`` → one "METHOD path" per
    method and path. A part without a method takes the previous part's; one without a path
    (``· POST (HR of the unit)``) the previous path."""
    lines: list[str] = []
    methods: list[str] = []
    path = ""
    for part in re.split(r"\s·\s|,\s", cell):
        found_methods = _METHOD.findall(re.sub(r"`[^`]*`", "", part))
        found_paths = _PATH.findall(part)
        if not found_methods and not found_paths:
            continue
        if found_methods:
            methods = found_methods[0].split("/")
        if found_paths:
            written = found_paths[0].split("?")[0]
            path = written if written.startswith("/api/") else _sibling(path, written)
        assert methods and path, cell
        lines += [f"{method} {path}" for method in methods]
    return lines


def _api_md_lines(text: str) -> dict[str, str]:
    """Every "METHOD path" of API.md's endpoint tables, with the section it is in."""
    found: dict[str, str] = {}
    section = ""
    for raw in text.splitlines():
        if raw.startswith("#"):
            section = raw.lstrip("#").strip()
            continue
        if not raw.startswith("|"):
            continue
        cell = _CELL.split(raw)[1].strip()
        if cell in {"method + path", ""} or set(cell) <= {"-", " "}:
            continue
        for line in _lines_of_cell(cell):
            found.setdefault(line, section)
    return found


def _normal(line: str) -> str:
    """Path parameters compared without their names (``{id}`` in API.md, ``{module_id}`` in
    the code)."""
    return re.sub(r"\{[^}]*\}", "{}", line)


def test_parsing_of_api_md_cells():
    assert _lines_of_cell("GET/POST `/api/v1/employees`, GET/PATCH `/api/v1/employees/{nip}`") == [
        "GET /api/v1/employees",
        "POST /api/v1/employees",
        "GET /api/v1/employees/{nip}",
        "PATCH /api/v1/employees/{nip}",
    ]
    assert _lines_of_cell("POST `/api/v1/assignments/{id}/approve` · `/cancel`") == [
        "POST /api/v1/assignments/{id}/approve",
        "POST /api/v1/assignments/{id}/cancel",
    ]
    assert _lines_of_cell(
        "GET `/api/v1/units/{code}/services` (public: the survey needs it) · POST (HR of the unit)"
    ) == ["GET /api/v1/units/{code}/services", "POST /api/v1/units/{code}/services"]
    assert _lines_of_cell(
        "GET/PUT `/api/v1/employees/{nip}/development-plan?period=CODE` · POST "
        "`…/development-plan/agree` (supervisor) · `/approve` (HR)"
    )[2:] == [
        "POST /api/v1/employees/{nip}/development-plan/agree",
        "POST /api/v1/employees/{nip}/development-plan/approve",
    ]
    assert _lines_of_cell("GET `/api/v1/units/{code}/ikm?period=YYYY`") == [
        "GET /api/v1/units/{code}/ikm"
    ]


def test_api_md_copy_says_where_it_comes_from():
    head = API_MD.read_text(encoding="utf-8")[:600]
    assert "shared/design/API.md" in head


def test_api_md_and_the_openapi_document_agree_line_by_line(document):
    contract = _api_md_lines(API_MD.read_text(encoding="utf-8"))
    assert len(contract) > 70, sorted(contract)  # the tables were read
    documented = {_normal(label): label for label, _op in _operations(document)}
    listed = {_normal(line): line for line in contract}
    pending = {_normal(line): (line, issue) for line, issue in PENDING.items()}

    problems = []
    for key, (line, issue) in sorted(pending.items()):
        if key not in listed:
            problems.append(f"PENDING (#{issue}) {line}: tidak ada lagi di API.md")
        if key in documented:
            problems.append(
                f"PENDING (#{issue}) {line}: sudah ada di OpenAPI ({documented[key]}); "
                "hapus dari PENDING"
            )
    for key, line in sorted(listed.items()):
        if key not in documented and key not in pending:
            problems.append(f"{line} ({contract[line]}): ada di API.md, tidak ada di OpenAPI")
    for key, label in sorted(documented.items()):
        if key not in listed:
            problems.append(f"{label}: ada di OpenAPI, tidak ada di API.md")
    assert not problems, "\n".join(problems)
