"""The admin shows the network's tables to operators, read-only: every change goes through
the pages, the API or the command line, so that it is validated and audited."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from internationale.network.models import Circle, Member, Membership, Network, Organization


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Network)
class NetworkAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug", "visibility", "created_at"]


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdmin):
    list_display = ["name", "country", "time_zone", "visibility"]


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    list_display = ["display_name", "language", "time_zone", "is_active", "date_joined"]
    exclude = ["password", "totp_secret"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["member", "organization", "role"]


@admin.register(Circle)
class CircleAdmin(ReadOnlyAdmin):
    list_display = ["name", "organization"]
