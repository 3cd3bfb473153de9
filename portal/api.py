"""The REST API v1 (django-ninja): one router per app, mounted here under /api/v1/.

Errors always carry a JSON ``detail`` in Bahasa Indonesia that names the offending field."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import DataError, connection
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import NinjaAPI, Router, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, django_auth

from .models import ApiToken


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

api = NinjaAPI(
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
)

_FIELD_MESSAGES = {
    "missing": "wajib diisi",
    "int_parsing": "harus berupa bilangan bulat",
    "int_type": "harus berupa bilangan bulat",
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


def _describe(error: dict) -> str:
    loc = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path", "payload")]
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
    message = "Data tidak valid: teks memuat karakter terlarang atau nilai di luar batas."
    return api.create_response(request, {"detail": message}, status=422)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return api.create_response(request, {"detail": exc.message}, status=exc.status_code)


class HealthOut(Schema):
    status: str
    database: str
    tasks: str


health_router = Router(tags=["sistem"])


def broker_status() -> str:
    from django.conf import settings

    from .celery import app as celery_app

    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False) or not settings.CELERY_BROKER_URL:
        return "eager"
    try:
        with celery_app.connection_for_write(connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
        return "broker-ok"
    except Exception:
        return "broker-down"


@health_router.get("/health", auth=None, response=HealthOut, summary="Status layanan")
def health(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception:
        database = "down"
    status = "ok" if database == "ok" else "degraded"
    return {"status": status, "database": database, "tasks": broker_status()}


api.add_router("", health_router)


def _mount() -> None:
    from forum.api import router as forum_router
    from kompetensi.api import router as kompetensi_router
    from kompetensi.skm_api import router as skm_router
    from workflow.api import router as workflow_router
    from workflow.reports.api import router as reports_router

    from .endpoints import router as pages_router

    api.add_router("", kompetensi_router)
    api.add_router("", skm_router)
    api.add_router("", pages_router)
    api.add_router("", workflow_router)
    api.add_router("", reports_router)
    api.add_router("", forum_router)


_mount()

User = get_user_model()
