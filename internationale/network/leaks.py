"""What the network module keeps from other organizations, for the leak harness."""

from typing import Any

from internationale.core.leaks import Planted, register
from internationale.network import actions
from internationale.network.models import Membership


@register
def plant(world: dict[str, Any], marker: str) -> Planted:
    coordinator = world["coordinator"]
    alpha = world["alpha"]
    notice = actions.post_notice(
        coordinator,
        organization=alpha,
        title=f"Notice {marker}",
        body=f"Private body {marker}",
        visibility="private",
    )
    public_notice = actions.post_notice(
        coordinator,
        organization=alpha,
        title="Public notice",
        body="Nothing secret here.",
        visibility="public",
    )
    circle = actions.create_circle(
        coordinator,
        organization=alpha,
        name=f"Circle {marker}",
        description=f"Secret circle {marker}",
        members=[world["member"]],
    )
    invitation, token = actions.invite_person(coordinator, organization=alpha, note=f"For {marker}")
    api_token, _raw = actions.create_api_token(coordinator, name=f"Token {marker}")
    hidden_invitation, hidden_token = actions.invite_organization(
        coordinator, network=world["network"], note=f"Hidden {marker}"
    )
    hidden = actions.accept_organization_invitation(
        coordinator,
        token=hidden_token,
        name=f"Hidden Org {marker}",
        country="US",
        languages=["en"],
        time_zone="UTC",
        description=f"Private org {marker}",
        visibility="private",
    )
    # A private organization's notice stays with it, whatever its own visibility says.
    hidden_notice = actions.post_notice(
        coordinator,
        organization=hidden,
        title=f"Hidden notice {marker}",
        body=f"From a private organization {marker}",
        visibility="public",
    )
    membership = Membership.objects.get(member=world["member"], organization=alpha)
    return Planted(
        objects=[
            alpha,
            world["network"],
            notice,
            public_notice,
            circle,
            invitation,
            api_token,
            hidden,
            hidden_invitation,
            hidden_notice,
            membership,
            coordinator,
        ],
        values={"token": [token]},
    )
