"""One JSON shape for every error: {"error": {"code", "message", "fields"}}, translated."""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError

logger = logging.getLogger(__name__)


def error_body(
    code: str, message: str, fields: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def install(api: NinjaAPI) -> None:
    def respond(
        request: HttpRequest,
        status: int,
        code: str,
        message: str,
        fields: dict[str, list[str]] | None = None,
    ) -> HttpResponse:
        return api.create_response(request, error_body(code, message, fields), status=status)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return respond(request, 404, "not_found", _("Not found."))

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
        return respond(request, 403, "forbidden", _("You may not do this."))

    @api.exception_handler(AuthenticationError)
    def unauthorized(request: HttpRequest, exc: Exception) -> HttpResponse:
        return respond(
            request,
            401,
            "unauthorized",
            _("Send a valid API token: Authorization: Bearer <token>."),
        )

    @api.exception_handler(DjangoValidationError)
    def invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        fields = exc.message_dict if hasattr(exc, "error_dict") else {}
        message = " ".join(exc.messages)
        return respond(request, 400, "invalid", message, fields)

    @api.exception_handler(SchemaValidationError)
    def malformed(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
        fields: dict[str, list[str]] = {}
        for error in exc.errors:
            location = [
                str(part)
                for part in error.get("loc", ())
                if part not in ("body", "payload", "form", "file")
            ]
            fields.setdefault(".".join(location) or "body", []).append(_field_message(error))
        return respond(request, 400, "invalid", _("Some fields are missing or malformed."), fields)

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path)
        return respond(
            request,
            500,
            "server_error",
            _("The error has been noted. Nothing was saved half-way: try again in a moment."),
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return respond(request, exc.status_code, "error", str(exc))


def _field_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return _("This field is required.")
    if kind.startswith(("string", "int", "bool", "list", "dict", "model")):
        return _("This value has the wrong type.")
    return _("This value is not valid.")
