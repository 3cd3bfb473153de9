"""Errors raised by kompetensi services: an Indonesian message, the offending field and the
HTTP status an API maps it to. Views show ``str(error)``; the API answers
``{"detail": error.detail}``."""


class ServiceError(Exception):
    status = 422

    def __init__(self, message, *, field: str = "") -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.field = field

    def __str__(self) -> str:
        return self.message

    @property
    def detail(self) -> str:
        message = self.message.rstrip(".")
        if self.field:
            return f"Kolom '{self.field}': {message}."
        return f"{message[:1].upper()}{message[1:]}."


class InvalidInput(ServiceError):
    status = 422


class Conflict(ServiceError):
    status = 409


class NotAllowed(ServiceError):
    status = 403


class NotFound(ServiceError):
    status = 404


def delete_or_conflict(obj, in_use) -> None:
    """The delete of a service: ``obj`` goes, or ``Conflict`` (409) with the message ``in_use``
    when protected rows still refer to it (the transaction stays usable)."""
    from django.db import transaction
    from django.db.models import ProtectedError

    try:
        with transaction.atomic():
            obj.delete()
    except ProtectedError:
        raise Conflict(in_use) from None


def require(allowed: bool, message: str = "", *, hide: bool = False) -> None:
    """The authority check of a service: raise ``NotAllowed`` (403) when ``allowed`` is false,
    or ``NotFound`` (404) with ``hide=True`` where the object's existence is itself private."""
    if allowed:
        return
    if hide:
        raise NotFound(message or "data tidak ditemukan")
    raise NotAllowed(message or "Anda tidak berwenang melakukan tindakan ini")
