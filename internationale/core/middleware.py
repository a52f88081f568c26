"""Per-request reader preferences: the member's language and time zone."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation


class ReaderPreferencesMiddleware:
    """Activates the signed-in member's language and time zone for the request.

    Runs after authentication. A visitor keeps the language of the cookie or the browser
    (Django's LocaleMiddleware) and sees times in the server's zone, named as such.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        member = request.user
        if member.is_authenticated:
            language = getattr(member, "language", "")
            if language and language in dict(settings.LANGUAGES):
                translation.activate(language)
                request.LANGUAGE_CODE = language
            zone = getattr(member, "time_zone", "")
            if zone:
                timezone.activate(zone)
        try:
            response = self.get_response(request)
        finally:
            timezone.deactivate()
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response
