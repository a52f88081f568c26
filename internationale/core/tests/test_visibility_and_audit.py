"""Visibility filtering shared by every module, and the append-only audit log."""

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.db.utils import DatabaseError

from internationale.core.models import AuditEvent
from internationale.core.testing import InternationaleTestCase
from internationale.network import actions
from internationale.network.models import Notice


class VisibilityTests(InternationaleTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        post = actions.post_notice
        cls.private = post(cls.member, organization=cls.alpha, title="private", body="b")
        cls.network_wide = post(
            cls.member, organization=cls.alpha, title="network", body="b", visibility="network"
        )
        cls.unshared = post(
            cls.member,
            organization=cls.alpha,
            title="unshared",
            body="b",
            visibility="network",
            shared_with=[],
        )
        cls.public = post(
            cls.member, organization=cls.alpha, title="public", body="b", visibility="public"
        )

    def titles(self, reader: object) -> set[str]:
        return set(Notice.objects.visible_to(reader).values_list("title", flat=True))

    def test_each_reader_sees_what_is_meant_for_them(self) -> None:
        everything = {"private", "network", "unshared", "public"}
        self.assertEqual(self.titles(self.fresh(self.member)), everything)
        self.assertEqual(self.titles(self.fresh(self.outsider)), {"network", "public"})
        self.assertEqual(self.titles(self.fresh(self.stranger)), {"public"})
        self.assertEqual(self.titles(AnonymousUser()), {"public"})
        self.assertEqual(self.titles(None), {"public"})

    def test_it_needs_no_duplicate_rows_when_shared_with_several_networks(self) -> None:
        _invitation, token = actions.invite_organization(None, network=self.other_network)
        actions.accept_organization_invitation(
            self.fresh(self.coordinator), token=token, organization=self.alpha
        )
        notice = actions.post_notice(
            self.fresh(self.member),
            organization=self.alpha,
            title="twice",
            body="b",
            visibility="network",
        )
        self.assertEqual(notice.shared_with.count(), 2)
        coordinator = self.fresh(self.coordinator)
        self.assertEqual(Notice.objects.visible_to(coordinator).filter(title="twice").count(), 1)

    def test_is_visible_to_agrees_with_the_queryset(self) -> None:
        self.assertTrue(self.private.is_visible_to(self.fresh(self.member)))
        self.assertFalse(self.private.is_visible_to(self.fresh(self.outsider)))


class AuditTests(InternationaleTestCase):
    def test_actions_record_who_did_what_to_what(self) -> None:
        circle = actions.create_circle(
            self.coordinator, organization=self.alpha, name="Port", members=[self.member]
        )
        event = AuditEvent.objects.about(circle).get()
        self.assertEqual(
            (event.actor, event.verb, event.target_label, event.data),
            (
                self.coordinator,
                "circle.create",
                f"circle {circle.pk}",
                {"members": [self.member.pk]},
            ),
        )

    def test_the_database_refuses_to_change_or_delete_an_event(self) -> None:
        event = AuditEvent.objects.first()
        assert event is not None
        for attempt in (
            lambda: AuditEvent.objects.filter(pk=event.pk).update(verb="forged"),
            lambda: AuditEvent.objects.filter(pk=event.pk).delete(),
        ):
            with self.assertRaises((IntegrityError, DatabaseError)), transaction.atomic():
                attempt()
        self.assertNotEqual(AuditEvent.objects.get(pk=event.pk).verb, "forged")

    def test_deleting_a_notice_leaves_none_of_its_words_in_the_log(self) -> None:
        notice = actions.post_notice(
            self.member, organization=self.alpha, title="Meeting at the depot", body="Gate four."
        )
        actions.delete_notice(self.member, notice)
        self.assertNotIn("depot", str(list(AuditEvent.objects.values())))
        self.assertEqual(AuditEvent.objects.filter(verb="notice.delete").count(), 1)

    def test_the_command_line_is_recorded_as_the_system(self) -> None:
        network = actions.create_network(None, name="From the shell")
        self.assertEqual(AuditEvent.objects.about(network).get().actor_label, "system")
