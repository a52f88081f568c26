"""The archive's test world: the personas, and a few entities of the test network."""

from typing import Any

from internationale.archive import actions
from internationale.core.testing import InternationaleTestCase


class ArchiveTestCase(InternationaleTestCase):
    corvane: Any
    corvane_tr: Any

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.corvane = actions.save_entity(
            cls.member,
            network=cls.network,
            fields=actions.EntityFields(
                name="Corvane Logistics GmbH", countries=["DE"], key="corvane-de"
            ),
        )
        cls.corvane_tr = actions.save_entity(
            cls.member,
            network=cls.network,
            fields=actions.EntityFields(
                name="Corvane Lojistik A.Ş.", countries=["TR"], key="corvane-tr"
            ),
        )
