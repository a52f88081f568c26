"""The relay's test world: the personas, a circle in each of two organizations, and a relay
from the first to the second."""

from typing import Any

from internationale.core.testing import InternationaleTestCase
from internationale.network import actions as network_actions
from internationale.relay import actions
from internationale.relay.models import Report


class RelayTestCase(InternationaleTestCase):
    circle_a: Any
    circle_b: Any
    relay: Any

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.coordinator_b = cls.beta.memberships.get(role="coordinator").member
        cls.circle_a = network_actions.create_circle(
            cls.coordinator, organization=cls.alpha, name="Harbour circle", members=[cls.member]
        )
        cls.circle_b = network_actions.create_circle(
            cls.coordinator_b, organization=cls.beta, name="Depot circle", members=[cls.outsider]
        )
        cls.relay = actions.start_relay(
            cls.coordinator,
            network=cls.network,
            title="What does the night shift cost?",
            prompt="Tell the next circle what the night shift costs you.",
            circles=[cls.circle_a, cls.circle_b],
            languages=["en", "pt"],
        )

    def leg(self, position: int) -> Any:
        return self.relay.legs.get(position=position)

    def text_report(
        self,
        author: Any,
        *,
        position: int = 0,
        text: str = "We work twelve hours.\n\nThe pay is late.",
        visibility: str = "network",
        responds_to: Report | None = None,
        language: str = "en",
    ) -> Report:
        return actions.add_text_report(
            author,
            leg=self.leg(position),
            fields=actions.ReportFields(
                title="Night shift",
                speaker="Lantern",
                language=language,
                visibility=visibility,
                responds_to=responds_to,
            ),
            text=text,
        )


def media_storage(folder: str) -> dict[str, Any]:
    """STORAGES with the default storage in `folder`, for tests that store recordings."""
    return {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": folder},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
