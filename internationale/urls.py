from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path

from internationale.api.api import api

handler400 = "internationale.core.views.bad_request"
handler403 = "internationale.core.views.permission_denied"
handler404 = "internationale.core.views.page_not_found"
handler500 = "internationale.core.views.server_error"

# The admin logs in through the site's own login, second factor and throttling included.
admin.site.login = login_required(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("internationale.network.urls")),
]
