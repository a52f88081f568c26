"""Invitations: single-use links that expire, and what accepting them does."""

from datetime import timedelta

import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from internationale.core.models import AuditEvent
from internationale.core.testing import PASSWORD, InternationaleTestCase
from internationale.network import actions
from internationale.network.models import Invitation, Member, Organization, token_digest


class PersonInvitationTests(InternationaleTestCase):
    def test_it_stores_only_a_digest_of_the_link(self) -> None:
        invitation, token = actions.invite_person(self.coordinator, organization=self.alpha)
        self.assertEqual(invitation.token_digest, token_digest(token))
        self.assertFalse(Invitation.objects.filter(token_digest=token).exists())

    def test_accepting_creates_an_account_from_a_name_and_a_password(self) -> None:
        _invitation, token = actions.invite_person(
            self.coordinator, organization=self.alpha, role="member", capabilities=["translator"]
        )
        response = self.client.post(
            reverse("network:invitation", args=[token]),
            {
                "display_name": "  Nadia  ",
                "password": "a long enough passphrase",
                "time_zone": "Europe/Istanbul",
            },
        )
        self.assertRedirects(response, self.alpha.get_absolute_url())
        nadia = Member.objects.get(display_name="Nadia")
        self.assertEqual(nadia.time_zone, "Europe/Istanbul")
        membership = nadia.memberships.get()
        self.assertEqual(
            (membership.organization, membership.role, membership.capabilities),
            (self.alpha, "member", ["translator"]),
        )
        self.assertEqual(self.client.get("/").context["user"], nadia)

    def test_a_link_works_once(self) -> None:
        _invitation, token = actions.invite_person(self.coordinator, organization=self.alpha)
        actions.accept_person_invitation(None, token=token, display_name="First", password=PASSWORD)
        with self.assertRaisesMessage(ValidationError, "expired or has already been used"):
            actions.accept_person_invitation(
                None, token=token, display_name="Second", password=PASSWORD
            )
        self.assertFalse(Member.objects.filter(display_name="Second").exists())
        response = self.client.get(reverse("network:invitation", args=[token]))
        self.assertEqual(response.status_code, 404)

    def test_a_link_expires(self) -> None:
        _invitation, token = actions.invite_person(self.coordinator, organization=self.alpha)
        with time_machine.travel(timezone.now() + timedelta(days=8)):
            response = self.client.get(reverse("network:invitation", args=[token]))
            self.assertEqual(response.status_code, 404)
            with self.assertRaises(ValidationError):
                actions.accept_person_invitation(
                    None, token=token, display_name="Late", password=PASSWORD
                )

    def test_a_revoked_link_no_longer_works(self) -> None:
        invitation, token = actions.invite_person(self.coordinator, organization=self.alpha)
        response = self.client_for(self.coordinator).post(
            reverse("network:revoke-invitation", args=[invitation.pk])
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            self.client.get(reverse("network:invitation", args=[token])).status_code, 404
        )

    def test_only_coordinators_invite(self) -> None:
        with self.assertRaises(ValidationError):
            actions.invite_person(self.fresh(self.member), organization=self.alpha)
        response = self.client_for(self.member).post(
            reverse("network:invite-person", args=[self.alpha.slug]), {"role": "coordinator"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self.alpha.invitations.filter(role="coordinator").exists())

    def test_a_taken_display_name_is_refused_and_the_link_stays_usable(self) -> None:
        _invitation, token = actions.invite_person(self.coordinator, organization=self.alpha)
        response = self.client.post(
            reverse("network:invitation", args=[token]),
            {
                "display_name": "member a",
                "password": "a long enough passphrase",
                "time_zone": "UTC",
            },
        )
        self.assertContains(response, "This display name is taken", status_code=200)
        self.assertTrue(Invitation.objects.open().filter(token_digest=token_digest(token)).exists())

    def test_a_weak_password_is_refused_in_the_readers_language(self) -> None:
        _invitation, token = actions.invite_person(self.coordinator, organization=self.alpha)
        self.client.cookies["language"] = "fr"
        response = self.client.post(
            reverse("network:invitation", args=[token]),
            {"display_name": "Nouveau", "password": "short", "time_zone": "UTC"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'lang="fr"')
        self.assertFalse(Member.objects.filter(display_name="Nouveau").exists())
        self.assertTrue(response.context["form"].errors["password"])

    def test_a_signed_in_member_joins_another_organization_with_the_link(self) -> None:
        _invitation, token = actions.invite_person(None, organization=self.beta)
        response = self.client_for(self.member).post(reverse("network:invitation", args=[token]))
        self.assertRedirects(response, self.beta.get_absolute_url())
        self.assertEqual(self.fresh(self.member).organization_ids(), {self.alpha.pk, self.beta.pk})

    def test_accepting_is_audited(self) -> None:
        _invitation, token = actions.invite_person(self.coordinator, organization=self.alpha)
        member = actions.accept_person_invitation(
            None, token=token, display_name="Audited", password=PASSWORD
        )
        event = AuditEvent.objects.filter(verb="invitation.accept.person").first()
        assert event is not None
        self.assertEqual((event.actor, event.data), (member, {"organization": self.alpha.slug}))


class OrganizationInvitationTests(InternationaleTestCase):
    def test_a_new_organization_joins_with_its_first_coordinator(self) -> None:
        _invitation, token = actions.invite_organization(self.coordinator, network=self.network)
        response = self.client.post(
            reverse("network:invitation", args=[token]),
            {
                "account-display_name": "Kemal",
                "account-password": "a long enough passphrase",
                "organization-name": "Delta Workers",
                "organization-country": "TR",
                "organization-languages": ["tr", "ar"],
                "organization-time_zone": "Europe/Istanbul",
                "organization-description": "",
                "organization-visibility": "network",
            },
        )
        delta = Organization.objects.get(name="Delta Workers")
        self.assertRedirects(response, delta.get_absolute_url())
        self.assertEqual(list(delta.networks.all()), [self.network])
        kemal = Member.objects.get(display_name="Kemal")
        self.assertTrue(kemal.is_coordinator_of(delta))
        self.assertEqual(kemal.time_zone, "Europe/Istanbul")

    def test_no_country_is_chosen_for_the_organization_by_default(self) -> None:
        _invitation, token = actions.invite_organization(None, network=self.network)
        page = self.client.get(reverse("network:invitation", args=[token])).content.decode()
        self.assertIn('<option value="" selected>—</option>', page)

    def test_each_error_lands_on_the_field_that_caused_it(self) -> None:
        _invitation, token = actions.invite_organization(None, network=self.network)
        response = self.client.post(
            reverse("network:invitation", args=[token]),
            {
                "account-display_name": "member a",
                "account-password": "a long enough passphrase",
                "organization-name": "Delta Workers",
                "organization-country": "TR",
                "organization-languages": ["tr"],
                "organization-time_zone": "Europe/Istanbul",
                "organization-description": "\u200b hidden",
                "organization-visibility": "network",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("display_name", response.context["account_form"].errors)
        self.assertFalse(Organization.objects.filter(name="Delta Workers").exists())

    def test_a_coordinator_brings_an_existing_organization(self) -> None:
        _invitation, token = actions.invite_organization(None, network=self.other_network)
        response = self.client_for(self.coordinator).post(
            reverse("network:invitation", args=[token]), {"existing-organization": self.alpha.pk}
        )
        self.assertRedirects(response, self.alpha.get_absolute_url())
        self.assertIn(self.other_network, self.alpha.networks.all())

    def test_bad_organization_details_write_nothing(self) -> None:
        _invitation, token = actions.invite_organization(None, network=self.network)
        with self.assertRaises(ValidationError) as caught:
            actions.accept_organization_invitation(
                None,
                token=token,
                display_name="Nobody",
                password=PASSWORD,
                name="X",
                country="XX",
                languages=[],
                time_zone="Mars/Olympus",
                description="",
                visibility="network",
            )
        self.assertEqual(set(caught.exception.message_dict), {"country", "languages", "time_zone"})
        self.assertFalse(Member.objects.filter(display_name="Nobody").exists())
        self.assertFalse(Organization.objects.filter(name="X").exists())
        self.assertTrue(Invitation.objects.open().filter(token_digest=token_digest(token)).exists())

    def test_only_coordinators_in_the_network_invite_organizations(self) -> None:
        with self.assertRaises(ValidationError):
            actions.invite_organization(self.fresh(self.stranger), network=self.network)
