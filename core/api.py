"""The REST API v1 (django-ninja): the API object, its authentication and its errors, and the
health endpoint (``health_router``). Each app's router is mounted under /api/v1/ by
``sikap/api.py``.

Errors always carry a JSON ``detail`` in Bahasa Indonesia that names the offending field:

* a request body that is not JSON, or JSON that is not an object (an array, a string …) → 422
  (:class:`JsonObjectParser`), before any field is read, so nothing is written;
* request validation (types, bounds, required fields, ``limit``/``offset``) → 422 with
  ``errors``; a number too large for the database → 422 (never 500);
* a service's :class:`core.errors.ServiceError` → its status and ``detail``; a model's
  ``ValidationError`` → 422; a database uniqueness/reference conflict → 409;
* anything unexpected → 500 ``{"detail": ...}``, logged, and the request's transaction is
  rolled back (``ATOMIC_REQUESTS`` would otherwise commit a half-done write, since the view
  returns a response).

Outside the operations (an unknown path, a newline in the path, an unsupported method, an
error raised by a middleware) the answer is JSON too: ``api_not_found`` (mounted in ``sikap/urls.py``)
and :class:`core.middleware.ApiJsonErrorsMiddleware`."""

import json
import logging
import math
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.signals import got_request_exception
from django.db import DataError, IntegrityError, connection, transaction
from django.http import Http404, HttpRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from ninja import Field, NinjaAPI, Router, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import paginate
from ninja.parser import Parser
from ninja.security import HttpBearer, django_auth

from core.errors import ServiceError

from .api_schemas import ErrorOut, Pagination, ValidationErrorOut, with_errors
from .models import ApiToken

logger = logging.getLogger("django.request")

SERVER_ERROR = "Terjadi kesalahan pada server. Kejadian ini sudah dicatat; silakan coba lagi."


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; the token acts as its user."""

    def authenticate(self, request: HttpRequest, token: str):
        if not token:
            return None
        row = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash_key(token), revoked_at__isnull=True)
            .first()
        )
        if row is None or not row.user.is_active:
            return None
        now = timezone.now()
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 300:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user


token_auth = TokenAuth()
AUTH = [token_auth, django_auth]


class BadRequestBody(ValueError):
    """The request body is not a JSON object; ``message`` says why, in Indonesian."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class JsonObjectParser(Parser):
    """Every JSON body of this API is an object: anything else is refused (422) before a field
    is read. (ninja wraps a parser error as ``HttpError(400, "Cannot parse request body")``
    raised ``from`` it; :func:`_http_error` answers with the cause's message and 422.)"""

    def parse_body(self, request: HttpRequest):
        if request.META and not request.body.strip():
            # No body at all: an operation whose body is optional takes its defaults; one with
            # required fields names the missing ones (422), as for ``{}``.
            return {}
        try:
            data = json.loads(request.body)
        except UnicodeDecodeError:
            raise BadRequestBody("Isi permintaan harus berupa teks UTF-8 (JSON).") from None
        except ValueError as exc:
            raise BadRequestBody(
                f"Isi permintaan bukan JSON yang sah (baris {getattr(exc, 'lineno', '?')}, "
                f"kolom {getattr(exc, 'colno', '?')})."
            ) from None
        # ninja also parses each field of a multipart form through here, with a bare request
        # of its own (no META): such a field may be any JSON value.
        if request.META and not isinstance(data, dict):
            raise BadRequestBody(
                "Isi permintaan harus berupa objek JSON ({...}), bukan "
                f"{_JSON_KINDS.get(type(data), 'nilai lain')}."
            )
        return data


_JSON_KINDS = {
    list: "daftar ([...])",
    str: "teks",
    int: "angka",
    float: "angka",
    bool: "true/false",
    type(None): "null",
}


def _error_response(description: str, schema: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


WRITE_METHODS = {"post", "put", "patch", "delete"}


def declare_common_errors(document: dict) -> dict:
    """Add to the OpenAPI ``document`` the errors any operation can give whatever its code
    declares: 422 (request validation, a body that is not a JSON object) for an operation that
    reads parameters or a body, 400 for one that reads a multipart form (unreadable form), 401
    for one that needs a token, 409 for a write (a conflict the database refuses). Each
    operation still declares its own (``core.api_schemas.with_errors``)."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for model in (ErrorOut, ValidationErrorOut):
        if model.__name__ not in schemas:
            schemas[model.__name__] = model.model_json_schema(
                ref_template="#/components/schemas/{model}"
            )
    for item in document.get("paths", {}).values():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            declared = {str(code) for code in responses}
            if (operation.get("parameters") or operation.get("requestBody")) and (
                "422" not in declared
            ):
                responses[422] = _error_response(
                    "Data permintaan tidak valid (`detail` menyebut kolomnya).",
                    "ValidationErrorOut",
                )
            if method in WRITE_METHODS and "409" not in declared:
                responses[409] = _error_response(
                    "Bertentangan dengan keadaan data saat ini (mis. dua permintaan sekaligus).",
                    "ErrorOut",
                )
            content = (operation.get("requestBody") or {}).get("content", {})
            if "multipart/form-data" in content and "400" not in declared:
                responses[400] = _error_response(
                    "Isi multipart/form-data tidak dapat dibaca.", "ErrorOut"
                )
            if operation.get("security") and "401" not in declared:
                responses[401] = _error_response(
                    "Token tidak ada, tidak valid, atau sudah dicabut.", "ErrorOut"
                )
    return document


def _plain_optional_bodies(document: dict) -> dict:
    """An optional body whose parameter defaults to an instance of its schema (``payload:
    ApproveIn = APPROVE_DEFAULTS``) is written by ninja as ``allOf: [$ref]`` plus the default
    object; client generators refuse that shape (openapi-python-client: "ModelProperty cannot
    have a default value") and drop the operation. Write it as the plain ``$ref`` of a body
    that is not required: leaving it out means the schema's own field defaults."""
    for item in document.get("paths", {}).values():
        for operation in item.values():
            body = operation.get("requestBody") if isinstance(operation, dict) else None
            if not body or body.get("required", True):
                continue
            for media in body.get("content", {}).values():
                schema = media.get("schema", {})
                refs = schema.get("allOf", [])
                if len(refs) == 1 and "$ref" in refs[0]:
                    media["schema"] = {"$ref": refs[0]["$ref"]}
    return document


class SikapAPI(NinjaAPI):
    """ninja's API with the common errors declared in its OpenAPI document."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return declare_common_errors(_plain_optional_bodies(document))

    def get_openapi_operation_id(self, operation) -> str:
        """``<app>_api_<function>`` (ninja's default from the module path), also when an app's
        ``api`` is a package: an endpoint keeps its id when it moves between its modules."""
        module = operation.view_func.__module__
        app, sep, _rest = module.partition(".api.")
        if sep:
            module = f"{app}.api"
        return f"{module}_{operation.view_func.__name__}".replace(".", "_")


api = SikapAPI(
    title="SIKAP API",
    version="1",
    description=(
        "API Sistem Informasi Kompetensi dan Pengembangan ASN (Pemerintah Kota Serang). "
        "Autentikasi: `Authorization: Bearer <token>`."
    ),
    urls_namespace="api",
    auth=AUTH,
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=JsonObjectParser(),
)

_FIELD_MESSAGES = {
    "missing": "wajib diisi",
    "int_parsing": "harus berupa bilangan bulat",
    "int_type": "harus berupa bilangan bulat",
    "int_from_float": "harus berupa bilangan bulat",
    "float_parsing": "harus berupa angka",
    "float_type": "harus berupa angka",
    "string_pattern_mismatch": "formatnya tidak sesuai",
    "too_long": "berisi terlalu banyak data",
    "too_short": "berisi terlalu sedikit data",
    "model_type": "harus berupa objek JSON",
    "datetime_parsing": "harus berupa waktu ISO 8601 (mis. 2026-01-31T08:00:00+07:00)",
    "datetime_type": "harus berupa waktu ISO 8601 (mis. 2026-01-31T08:00:00+07:00)",
    "string_type": "harus berupa teks",
    "bool_parsing": "harus berupa true atau false",
    "bool_type": "harus berupa true atau false",
    "date_from_datetime_parsing": "harus berupa tanggal dengan format YYYY-MM-DD",
    "date_parsing": "harus berupa tanggal dengan format YYYY-MM-DD",
    "date_type": "harus berupa tanggal dengan format YYYY-MM-DD",
    "literal_error": "nilainya tidak dikenal",
    "enum": "nilainya tidak dikenal",
    "less_than_equal": "terlalu besar",
    "greater_than_equal": "terlalu kecil",
    "string_too_long": "terlalu panjang",
    "string_too_short": "terlalu pendek",
    "dict_type": "harus berupa objek JSON",
    "list_type": "harus berupa daftar",
    "json_invalid": "bukan JSON yang sah",
    "model_attributes_type": "harus berupa objek JSON",
    "extra_forbidden": "tidak dikenal",
}


_BODY_MISSING = {"missing", "model_type", "dict_type", "model_attributes_type"}


def _describe(error: dict) -> str:
    loc = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path", "payload")]
    if not loc and error.get("type") in _BODY_MISSING:
        return "Isi permintaan wajib diisi: sebuah objek JSON ({...})."
    field = ".".join(loc) or "permintaan"
    words = _FIELD_MESSAGES.get(error.get("type", ""), error.get("msg", "tidak valid"))
    if error.get("type") == "literal_error" and error.get("ctx", {}).get("expected"):
        words += f" (pilihan: {error['ctx']['expected']})"
    if error.get("type") in {"less_than_equal", "greater_than_equal"} and error.get("ctx"):
        limit = next(iter(error["ctx"].values()))
        words += f" (batas {limit})"
    return f"Kolom '{field}' {words}."


@api.exception_handler(NinjaValidationError)
def _validation_error(request, exc: NinjaValidationError):
    details = " ".join(_describe(e) for e in exc.errors[:5])
    return api.create_response(
        request, {"detail": details or "Data tidak valid.", "errors": exc.errors}, status=422
    )


@api.exception_handler(AuthenticationError)
def _auth_error(request, exc):
    return api.create_response(
        request, {"detail": "Token tidak ada, tidak valid, atau sudah dicabut."}, status=401
    )


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": "Data tidak ditemukan."}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    message = str(exc) or "Anda tidak berwenang melakukan tindakan ini."
    return api.create_response(request, {"detail": message}, status=403)


@api.exception_handler(DataError)
def _data_error(request, exc):
    # E.g. a NUL character in a text field, which PostgreSQL refuses: bad input, not a crash.
    _roll_back()
    message = "Data tidak valid: teks memuat karakter terlarang atau nilai di luar batas."
    return api.create_response(request, {"detail": message}, status=422)


@api.exception_handler(OverflowError)
def _overflow(request, exc):
    # A number beyond what the database column holds (SQLite: "Python int too large to
    # convert to SQLite INTEGER"); endpoints bound their ids, this is the safety net.
    _roll_back()
    message = "Data tidak valid: angka di luar batas yang dapat disimpan."
    return api.create_response(request, {"detail": message}, status=422)


@api.exception_handler(DjangoValidationError)
def _model_validation_error(request, exc: DjangoValidationError):
    # A model's own validation (``full_clean``) reached from an endpoint: bad input, 422.
    _roll_back()
    messages = [str(m) for m in exc.messages][:5] or ["Data tidak valid."]
    return api.create_response(request, {"detail": " ".join(messages)}, status=422)


@api.exception_handler(IntegrityError)
def _integrity_error(request, exc):
    # A uniqueness or reference rule of the database that a check before the write missed
    # (two requests at once): the state conflicts, nothing is written.
    _roll_back()
    message = "Data bertentangan dengan data yang sudah ada; tidak ada yang disimpan."
    return api.create_response(request, {"detail": message}, status=409)


@api.exception_handler(MultiPartParserError)
def _bad_multipart(request, exc):
    # E.g. ``Content-Type: multipart/form-data`` without a boundary: a malformed request.
    message = "Isi permintaan multipart/form-data tidak dapat dibaca (periksa Content-Type)."
    return api.create_response(request, {"detail": message}, status=400)


@api.exception_handler(RequestDataTooBig)
def _too_big(request, exc):
    return api.create_response(request, {"detail": "Isi permintaan terlalu besar."}, status=413)


@api.exception_handler(ServiceError)
def _service_error(request, exc: ServiceError):
    _roll_back()
    return api.create_response(request, {"detail": exc.detail}, status=exc.status)


@api.exception_handler(Throttled)
def _throttled(request, exc: Throttled):
    minutes = max(1, math.ceil((exc.wait or 60) / 60))
    message = (
        "Terlalu banyak permintaan dari perangkat atau jaringan ini. "
        f"Silakan coba lagi dalam {minutes} menit."
    )
    return api.create_response(request, {"detail": message}, status=429)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, BadRequestBody):
        return api.create_response(request, {"detail": exc.__cause__.message}, status=422)
    return api.create_response(request, {"detail": exc.message}, status=exc.status_code)


@api.exception_handler(Exception)
def _server_error(request, exc: Exception):
    """Anything unexpected: logged as Django logs it (``django.request``, mailed to ADMINS in
    production), the transaction rolled back, a JSON 500. ``got_request_exception`` is sent as
    Django's own handler does (the test client re-raises it)."""
    _roll_back()
    logger.error(
        "Internal Server Error: %s",
        request.path,
        exc_info=(type(exc), exc, exc.__traceback__),
        extra={"status_code": 500, "request": request},
    )
    got_request_exception.send(sender=None, request=request)
    return api.create_response(request, {"detail": SERVER_ERROR}, status=500)


def _roll_back() -> None:
    """With ``ATOMIC_REQUESTS`` an error answered here would still commit what the view wrote
    before it failed: mark the request's transaction for rollback."""
    if connection.in_atomic_block:
        transaction.set_rollback(True)


@csrf_exempt
def api_not_found(request: HttpRequest) -> JsonResponse:
    """Any path under /api/ that no operation matches (also one with a newline in it): a JSON
    404 for every method, never Django's HTML page nor an APPEND_SLASH redirect."""
    return JsonResponse({"detail": "Alamat API tidak dikenal."}, status=404)


def openapi_examples(
    responses: dict, request: Any = None, *, request_type: str = "application/json"
) -> dict:
    """``openapi_extra`` of an operation with an example answer per status (``{status: body}``,
    JSON) and, for an operation that reads a body, an example request body of the media type
    ``request_type`` (``multipart/form-data`` for an upload)::

        @router.post("/units", ..., openapi_extra=openapi_examples({201: UNIT}, request=UNIT_IN))

    ninja merges it into the operation's document (responses are keyed by int status). The
    examples are part of the contract: ``tests/sikap/test_api_document.py`` validates each
    against its schema, and schemathesis' examples phase sends the request examples."""
    extra: dict = {
        "responses": {
            int(code): {"content": {"application/json": {"example": body}}}
            for code, body in responses.items()
        }
    }
    if request is not None:
        extra["requestBody"] = {"content": {request_type: {"example": request}}}
    return extra


def example_page(*items: Any) -> dict:
    """The example answer of a paginated list holding ``items``."""
    return {"count": len(items), "items": list(items)}


def paged_list(router: Router, path: str, item: type, *error_codes: int, **options):
    """Decorator of a GET endpoint that returns a list of ``item``: paginated with
    :class:`~core.api_schemas.Pagination` (``?limit=&offset=`` → ``{"count", "items"}``) and
    declaring ``error_codes`` (:func:`~core.api_schemas.with_errors`); ``options`` (summary,
    description…) go to ``router.get``::

        @paged_list(router, "/units", UnitOut, 401, 403, 422, summary="Daftar unit")
        def unit_list(request): ...
    """

    def decorate(view):
        return router.get(path, response=with_errors({200: list[item]}, *error_codes), **options)(
            paginate(Pagination)(view)
        )

    return decorate


class HealthOut(Schema):
    status: Literal["ok", "degraded"] = Field(
        ..., description="`ok`, atau `degraded` bila basis data tidak menjawab."
    )
    database: Literal["ok", "down"]
    tasks: Literal["eager", "broker-ok", "broker-down"] = Field(
        ...,
        description=(
            "`eager` = tugas latar dijalankan di dalam proses (tanpa broker); `broker-ok` / "
            "`broker-down` = broker Celery dapat / tidak dapat dihubungi."
        ),
    )


health_router = Router(tags=["sistem"])


def broker_status() -> str:
    from celery import current_app as celery_app
    from django.conf import settings

    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False) or not settings.CELERY_BROKER_URL:
        return "eager"
    try:
        with celery_app.connection_for_write(connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
        return "broker-ok"
    except Exception:
        return "broker-down"


@health_router.get(
    "/health",
    auth=None,
    response=with_errors({200: HealthOut}, 500),
    summary="Status layanan",
    description=(
        "Publik (tanpa token), untuk pemantauan dan penyeimbang beban: apakah basis data "
        "menjawab dan apakah broker tugas latar (Celery) dapat dihubungi. Selalu 200 selama "
        "aplikasi berjalan; `status: degraded` bila basis data tidak menjawab. Tidak membaca "
        "parameter apa pun, jadi tidak ada galat 4xx; kesalahan tak terduga → 500 `{detail}`."
    ),
    openapi_extra=openapi_examples(
        {
            200: {"status": "ok", "database": "ok", "tasks": "broker-ok"},
            500: {"detail": SERVER_ERROR},
        }
    ),
)
def health(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception:
        database = "down"
    status = "ok" if database == "ok" else "degraded"
    return {"status": status, "database": database, "tasks": broker_status()}
