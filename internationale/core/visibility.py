"""Who may read a piece of content: its organization only, its networks, or everyone.

A content model inherits `VisibleContent`, names the field that holds its organization and
the field that holds the networks it is shared with (a many-to-many, or a foreign key for
content that belongs to one network), and uses `VisibleQuerySet` as its manager:

    class Notice(VisibleContent):
        organization = models.ForeignKey("network.Organization", ...)
        shared_with = models.ManyToManyField("network.Network", ...)
        objects = VisibleQuerySet.as_manager()

`Notice.objects.visible_to(member)` then returns what `member` may read. `member` is any
object with `organization_ids()` and `network_ids()` (the network's Member), or None or an
anonymous user for the public.
"""

from typing import Any, Self

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    PRIVATE = "private", _("Private: its organization only")
    NETWORK = "network", _("Network: members of the networks it is shared with")
    PUBLIC = "public", _("Public: anyone, without logging in")


def reader_ids(member: Any) -> tuple[frozenset[int], frozenset[int]]:
    """The organizations and networks of a reader; none for the public."""
    if member is None or not getattr(member, "is_authenticated", False):
        return frozenset(), frozenset()
    return member.organization_ids(), member.network_ids()


class VisibleQuerySet(models.QuerySet):
    def visible_to(self, member: Any) -> Self:
        """What `member` may read: public content, everything of their own organizations,
        and content shared with one of their networks."""
        model: Any = self.model
        org_ids, net_ids = reader_ids(member)
        allowed = Q(visibility=Visibility.PUBLIC)
        if org_ids:
            allowed |= Q(**{f"{model.organization_field}__in": org_ids})
        if net_ids:
            allowed |= Q(visibility=Visibility.NETWORK) & self._shared_with(net_ids)
        return self.filter(allowed)

    def _shared_with(self, net_ids: frozenset[int]) -> Q:
        model: Any = self.model
        field = model._meta.get_field(model.networks_field)
        if not field.many_to_many:
            return Q(**{f"{field.name}__in": net_ids})
        through = field.remote_field.through
        shared = through.objects.filter(
            **{f"{field.m2m_reverse_field_name()}__in": net_ids}
        ).values(field.m2m_field_name())
        return Q(pk__in=shared)


class VisibleContent(models.Model):
    """Base of every piece of content that has a visibility; defaults to private."""

    organization_field = "organization"
    networks_field = "shared_with"

    visibility = models.CharField(
        _("who can see it"),
        max_length=16,
        choices=Visibility.choices,
        default=Visibility.PRIVATE,
    )

    class Meta:
        abstract = True

    def is_visible_to(self, member: Any) -> bool:
        manager = type(self)._default_manager
        return bool(manager.visible_to(member).filter(pk=self.pk).exists())  # type: ignore[attr-defined]
