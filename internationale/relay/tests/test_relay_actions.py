from datetime import timedelta

import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from internationale.core.models import AuditEvent
from internationale.relay import actions
from internationale.relay.models import LegState, Origin, Report, Review
from internationale.relay.tests.world import RelayTestCase


class StartingTests(RelayTestCase):
    def test_it_opens_the_first_leg_for_its_time_box(self) -> None:
        first, second = self.leg(0), self.leg(1)
        self.assertEqual(first.state, LegState.OPEN)
        self.assertEqual(first.due_at - first.opened_at, timedelta(days=7))
        self.assertEqual(second.state, LegState.WAITING)
        self.assertTrue(AuditEvent.objects.filter(verb="relay.start").exists())

    def test_only_a_coordinator_of_the_network_starts_one(self) -> None:
        for persona in (self.member, self.stranger):
            with self.subTest(persona=str(persona)), self.assertRaises(ValidationError):
                actions.start_relay(
                    persona,
                    network=self.network,
                    title="T",
                    prompt="P",
                    circles=[self.circle_a],
                    languages=["en"],
                )

    def test_it_refuses_a_circle_of_another_network_and_unknown_languages(self) -> None:
        from internationale.network import actions as network_actions

        coordinator_c = self.gamma.memberships.get(role="coordinator").member
        circle_c = network_actions.create_circle(
            coordinator_c, organization=self.gamma, name="Far circle"
        )
        with self.assertRaises(ValidationError) as refused:
            actions.start_relay(
                self.coordinator,
                network=self.network,
                title="T",
                prompt="P",
                circles=[self.circle_a, circle_c],
                languages=["en"],
            )
        self.assertIn("circles", refused.exception.message_dict)
        with self.assertRaises(ValidationError) as refused:
            actions.start_relay(
                self.coordinator,
                network=self.network,
                title="T",
                prompt="P",
                circles=[self.circle_a],
                languages=["xx-nonsense"],
            )
        self.assertIn("languages", refused.exception.message_dict)


class ReportingTests(RelayTestCase):
    def test_a_text_report_is_its_own_reviewed_transcript_one_line_per_paragraph(self) -> None:
        report = self.text_report(self.member)
        transcript = report.transcripts.get()
        self.assertEqual(transcript.origin, Origin.PERSON)
        self.assertEqual(transcript.review, Review.REVIEWED)
        self.assertEqual(
            [s.text for s in transcript.segments.all()],
            ["We work twelve hours.", "The pay is late."],
        )

    def test_only_the_circle_on_duty_reports(self) -> None:
        for persona in (self.outsider, self.translator, self.stranger):
            with self.subTest(persona=str(persona)), self.assertRaises(ValidationError):
                self.text_report(persona)
        with self.assertRaises(ValidationError):
            self.text_report(self.outsider, position=1)  # not yet on duty
        self.assertFalse(Report.objects.exists())

    def test_passing_on_opens_the_next_leg_and_its_circle_may_respond(self) -> None:
        first = self.text_report(self.member)
        with self.assertRaises(ValidationError):
            actions.pass_on(self.outsider, leg=self.leg(0))
        following = actions.pass_on(self.member, leg=self.leg(0))
        self.assertEqual(following, self.leg(1))
        self.assertEqual(self.leg(0).state, LegState.DONE)
        self.assertEqual(self.leg(1).state, LegState.OPEN)
        with self.assertRaises(ValidationError):
            self.text_report(self.member)  # the first leg is closed
        answer = self.text_report(self.outsider, position=1, responds_to=first, language="pt")
        self.assertEqual(list(first.responses.all()), [answer])
        with self.assertRaises(ValidationError):
            self.text_report(self.outsider, position=1, responds_to=answer)  # same leg
        self.assertIsNone(actions.pass_on(self.outsider, leg=self.leg(1)))
        self.relay.refresh_from_db()
        self.assertTrue(self.relay.is_finished)

    def test_a_circle_must_report_before_passing_on(self) -> None:
        with self.assertRaises(ValidationError):
            actions.pass_on(self.member, leg=self.leg(0))

    def test_a_leg_past_its_time_is_passed_on_once(self) -> None:
        with time_machine.travel(timezone.now() + timedelta(days=8)):
            self.assertEqual(actions.pass_on_overdue(), [self.leg(0).pk])
            self.assertEqual(actions.pass_on_overdue(), [])
        self.assertEqual(self.leg(1).state, LegState.OPEN)


class VisibilityTests(RelayTestCase):
    def test_a_private_report_stays_with_its_organization(self) -> None:
        report = self.text_report(self.member, visibility="private")
        self.assertTrue(report.is_visible_to(self.translator))
        self.assertFalse(report.is_visible_to(self.outsider))
        self.assertFalse(report.is_visible_to(self.stranger))
        self.assertFalse(report.is_visible_to(None))

    def test_a_network_report_reaches_the_network_only(self) -> None:
        report = self.text_report(self.member)
        self.assertTrue(report.is_visible_to(self.outsider))
        self.assertFalse(report.is_visible_to(self.stranger))
        self.assertFalse(report.is_visible_to(None))


class TranscriptTests(RelayTestCase):
    def test_a_translator_translates_line_by_line_and_another_person_reviews(self) -> None:
        report = self.text_report(self.member)
        lines = [
            actions.Line(0, 0, "Trabalhamos doze horas."),
            actions.Line(0, 0, "O pagamento atrasa."),
        ]
        translation = actions.save_transcript(
            self.translator, report=report, language="pt", lines=lines
        )
        self.assertEqual(translation.source, report.transcripts.get(language="en"))
        self.assertEqual(translation.review, Review.DRAFT)
        with self.assertRaises(ValidationError):
            actions.review_transcript(self.translator, transcript=translation)
        actions.review_transcript(self.member, transcript=translation)
        translation.refresh_from_db()
        self.assertEqual(translation.review, Review.REVIEWED)
        # Editing makes it a draft again.
        actions.save_transcript(self.translator, report=report, language="pt", lines=lines[:1])
        translation.refresh_from_db()
        self.assertEqual(translation.review, Review.DRAFT)
        self.assertEqual(translation.segments.count(), 1)

    def test_people_outside_the_organization_and_its_translators_cannot_edit(self) -> None:
        report = self.text_report(self.member)
        for persona in (self.outsider, self.stranger):
            with self.subTest(persona=str(persona)), self.assertRaises(ValidationError):
                actions.save_transcript(
                    persona, report=report, language="pt", lines=[actions.Line(0, 0, "x")]
                )

    def test_a_line_that_ends_before_it_starts_is_refused(self) -> None:
        report = self.text_report(self.member)
        with self.assertRaises(ValidationError):
            actions.save_transcript(
                self.member, report=report, language="en", lines=[actions.Line(500, 100, "x")]
            )


class FeedTests(RelayTestCase):
    def test_a_private_feed_gets_a_new_secret_each_time_it_is_turned_on(self) -> None:
        actions.set_feed(self.coordinator, relay=self.relay, feed="private")
        first = self.relay.feed_secret
        self.assertGreaterEqual(len(first), 32)
        actions.set_feed(self.coordinator, relay=self.relay, feed="none")
        self.assertEqual(self.relay.feed_secret, "")
        actions.set_feed(self.coordinator, relay=self.relay, feed="private")
        self.assertNotEqual(self.relay.feed_secret, first)
        with self.assertRaises(ValidationError):
            actions.set_feed(self.member, relay=self.relay, feed="public")


class TellingTests(RelayTestCase):
    def test_the_next_circle_is_told_in_the_app_and_by_e_mail_if_it_gave_one(self) -> None:
        from django.core import mail

        from internationale.network import actions as network_actions

        network_actions.update_account(
            self.outsider,
            display_name=self.outsider.display_name,
            language="pt",
            languages=[],
            time_zone="America/Sao_Paulo",
            email="depot@example.org",
        )
        self.text_report(self.member)
        with self.captureOnCommitCallbacks(execute=True):
            actions.pass_on(self.member, leg=self.leg(0))
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["depot@example.org"])
        self.assertIn(self.relay.title, message.subject)
        self.assertIn("Depot circle", message.body)
        self.assertIn(self.leg(1).get_absolute_url(), message.body)
        home = self.client_for(self.outsider).get("/")
        self.assertContains(home, self.leg(1).get_absolute_url())
        self.assertNotContains(self.client_for(self.member).get("/"), "/legs/")

    def test_an_address_that_is_not_one_is_refused(self) -> None:
        from internationale.network import actions as network_actions

        with self.assertRaises(ValidationError):
            network_actions.update_account(
                self.outsider,
                display_name=self.outsider.display_name,
                language="en",
                languages=[],
                time_zone="UTC",
                email="not an address",
            )


class AnsweringTests(RelayTestCase):
    def test_a_report_can_answer_only_what_its_author_may_read(self) -> None:
        private = self.text_report(self.member, text="Inside Alpha.", visibility="private")
        actions.pass_on(self.member, leg=self.leg(0))
        with self.assertRaises(ValidationError):
            self.text_report(self.outsider, position=1, responds_to=private)

    def test_a_waiting_leg_is_not_on_duty_yet(self) -> None:
        with self.assertRaises(ValidationError) as refused:
            actions.pass_on(None, leg=self.leg(1))
        self.assertIn("not on duty yet", " ".join(refused.exception.messages))


class DeadlineTests(RelayTestCase):
    def test_opening_a_leg_asks_the_worker_to_pass_it_on_when_its_time_is_up(self) -> None:
        from django.test import override_settings
        from django_tasks_db.models import DBTaskResult

        # The database backend honours `run_after` (django-tasks resets its backends when
        # the setting changes).
        with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
            self.text_report(self.member)
            with self.captureOnCommitCallbacks(execute=True):
                actions.pass_on(self.member, leg=self.leg(0))
        deferred = DBTaskResult.objects.get(task_path="internationale.relay.tasks.pass_on_overdue")
        self.assertEqual(deferred.run_after, self.leg(1).due_at + timedelta(seconds=1))
