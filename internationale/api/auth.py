"""Personal API tokens, sent as `Authorization: Bearer intl_…`."""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone, translation
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from internationale.network.models import ApiToken, token_digest


class TokenAuth(HttpBearer):
    """Requires a valid token; the request then acts as the token's member, in their
    language and time zone."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.active()
            .select_related("member")
            .filter(token_digest=token_digest(token), member__is_active=True)
            .first()
        )
        if found is None:
            return None
        member = found.member
        request.user = member
        if member.language in dict(settings.LANGUAGES):
            translation.activate(member.language)
            request.LANGUAGE_CODE = member.language
        timezone.activate(member.time_zone)
        today = timezone.localdate()  # in the member's zone, as the account page shows it
        if found.last_used_on != today:
            ApiToken.objects.filter(pk=found.pk).update(last_used_on=today)
        return member


class OptionalTokenAuth(TokenAuth):
    """Like TokenAuth, but a request without any Authorization header reads as the public.
    A header with a wrong token is still refused rather than silently made anonymous."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.headers.get("Authorization"):
            request.user = AnonymousUser()
            return request.user
        result = super().__call__(request)
        if result is None:
            raise AuthenticationError
        return result
