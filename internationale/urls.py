from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import include, path

from internationale.api.api import api

handler400 = "internationale.core.views.bad_request"
handler403 = "internationale.core.views.permission_denied"
handler404 = "internationale.core.views.page_not_found"
handler500 = "internationale.core.views.server_error"


def admin_login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The admin logs in through the site's own login, second factor and throttling
    included; its own password form is never shown."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.is_staff:
        raise PermissionDenied
    return redirect("admin:index")


admin.site.login = admin_login  # type: ignore[method-assign]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("internationale.treasury.urls")),
    path("", include("internationale.relay.urls")),
    path("", include("internationale.archive.urls")),
    path("", include("internationale.network.urls")),
]
