"""Looking up the network's objects by the names a person types on the command line.

Each function returns the object, or refuses with a ValidationError in the operator's
language, which `LocalizedCommand` prints before exiting with status 1.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from internationale.network.models import Member, Network, Organization, display_key


def member_named(name: str, *, active_only: bool = True) -> Member:
    """The member with this display name (any capitals or Unicode form)."""
    members = Member.objects.filter(display_key=display_key(name))
    if active_only:
        members = members.filter(is_active=True)
    member = members.first()
    if member is None:
        raise ValidationError(
            _("There is no member with the display name %(name)s.") % {"name": name}
        )
    return member


def network_named(slug: str) -> Network:
    network = Network.objects.filter(slug=slug).first()
    if network is None:
        raise ValidationError(
            _("There is no network with the short name %(slug)s.") % {"slug": slug}
        )
    return network


def organization_named(slug: str) -> Organization:
    organization = Organization.objects.filter(slug=slug).first()
    if organization is None:
        raise ValidationError(
            _("There is no organization with the short name %(slug)s.") % {"slug": slug}
        )
    return organization
