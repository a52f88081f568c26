"""The living archive of a network: entities, and the knowledge its organizations record.

Entities (companies, organizations, people) follow the FollowTheMoney model, so they move to
and from Aleph and OpenSanctions tools; they are shared by the members of their network.
Items are what organizations know: testimonies, wage records, links between entities
(supplies, owns, finances, contracts, ships for) and legal tactics. Each item has a
visibility (private to its organization by default) and a `key`, so a CSV import updates the
record it imported before instead of adding it twice.
"""

import re
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from internationale.core.visibility import VisibleContent, VisibleQuerySet
from internationale.network.models import Network, Organization


class Schema(models.TextChoices):
    """The FollowTheMoney schemata an archive entity may have."""

    COMPANY = "Company", _("company")
    ORGANIZATION = "Organization", _("organization")
    PERSON = "Person", _("person")
    LEGAL_ENTITY = "LegalEntity", _("legal entity")


class Entity(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="entities")
    key = models.CharField(_("key"), max_length=120)
    schema = models.CharField(_("kind"), max_length=16, choices=Schema, default=Schema.COMPANY)
    name = models.CharField(_("name"), max_length=300)
    aliases = models.JSONField(_("other names"), default=list, blank=True)
    countries = models.JSONField(_("countries"), default=list, blank=True)
    identifiers = models.JSONField(_("identifiers"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("entity")
        verbose_name_plural = _("entities")
        constraints = [
            models.UniqueConstraint("network", "key", name="entity_key_unique_in_network")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_label(self) -> str:
        return f"entity {self.pk}"

    @property
    def names(self) -> list[str]:
        return [self.name, *[a for a in self.aliases if a != self.name]]


class ItemQuerySet(VisibleQuerySet):
    def in_network(self, network: Network) -> "ItemQuerySet":
        return self.filter(network=network)


class Item(VisibleContent):
    """What every kind of knowledge shares: its network, the organization that recorded it,
    its visibility (shared with its network when it says so) and its import key."""

    networks_field = "network"

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(_("key"), max_length=120)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    objects = ItemQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def audit_label(self) -> str:
        return f"{self._meta.model_name} {self.pk}"


def _key_unique(name: str) -> list[Any]:
    return [
        models.UniqueConstraint(
            "network", "organization", "key", name=f"{name}_key_unique_in_organization"
        )
    ]


class PayPeriod(models.TextChoices):
    HOUR = "hour", _("per hour")
    DAY = "day", _("per day")
    WEEK = "week", _("per week")
    MONTH = "month", _("per month")


class WageRecord(Item):
    """Pay observed at an employer: `pay` minor units of `currency` per `period`, for
    `hours` hundredths of an hour in that period (an hourly record has 100)."""

    employer = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="wage_records")
    country = models.CharField(_("country"), max_length=2)
    city = models.CharField(_("city"), max_length=120, blank=True)
    sector = models.CharField(_("sector"), max_length=120, blank=True)
    job = models.CharField(_("job"), max_length=120)
    pay = models.BigIntegerField(_("pay"))
    currency = models.CharField(_("currency"), max_length=3)
    period = models.CharField(_("pay period"), max_length=8, choices=PayPeriod)
    hours = models.PositiveIntegerField(_("hours in the period"))
    observed_on = models.DateField(_("date observed"))
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["-observed_on", "id"]
        verbose_name = _("wage record")
        constraints = [
            *_key_unique("wagerecord"),
            models.CheckConstraint(condition=Q(pay__gte=0), name="wage_pay_not_negative"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="wage_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.employer} — {self.job}"


class LinkKind(models.TextChoices):
    SUPPLIES = "supplies", _("supplies")
    OWNS = "owns", _("owns")
    FINANCES = "finances", _("finances")
    CONTRACTS = "contracts", _("contracts")
    SHIPS_FOR = "ships_for", _("ships for")


class Link(Item):
    """`source` supplies, owns, finances, contracts or ships for `target`. An ownership may
    give its share in hundredths of a percent (basis points); ownership links roll
    subsidiaries up into corporate groups."""

    kind = models.CharField(_("kind of link"), max_length=12, choices=LinkKind)
    source = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="links_out")
    target = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="links_in")
    share = models.PositiveIntegerField(_("share (basis points)"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("link")
        constraints = [
            *_key_unique("link"),
            models.CheckConstraint(
                condition=Q(share__isnull=True) | Q(share__lte=10_000),
                name="link_share_at_most_all",
            ),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="link_between_two_entities"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.get_kind_display()} {self.target}"


class Outcome(models.TextChoices):
    WON = "won", _("won")
    LOST = "lost", _("lost")
    SETTLED = "settled", _("settled")
    PENDING = "pending", _("pending")


class LegalTactic(Item):
    jurisdiction = models.CharField(_("jurisdiction"), max_length=120)
    issue = models.CharField(_("issue"), max_length=300)
    tactic = models.TextField(_("tactic"))
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome)
    documents = models.TextField(_("documents"), blank=True)
    against = models.ForeignKey(
        Entity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="legal_tactics",
        verbose_name=_("against"),
    )

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("legal tactic")
        constraints = _key_unique("legaltactic")

    def __str__(self) -> str:
        return self.issue


class Consent(models.TextChoices):
    ORGANIZATION = "organization", _("its organization only")
    NETWORK = "network", _("the network")
    PUBLIC = "public", _("the public")


REDACTED = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)
REDACTION_MARK = "[…]"


class Testimony(Item):
    """A person's account, in their words. Passages written between double brackets,
    [[like this]], are redactions: cut from every shared copy (pages of other organizations,
    search, exports), read only by the recording organization. The speaker's `consent`
    bounds the visibility."""

    title = models.CharField(_("title"), max_length=200)
    speaker = models.CharField(_("speaker's pseudonym"), max_length=80)
    language = models.CharField(_("language"), max_length=16)
    text = models.TextField(_("text"))
    consent = models.CharField(
        _("consent"), max_length=12, choices=Consent, default=Consent.ORGANIZATION
    )

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("testimony")
        verbose_name_plural = _("testimonies")
        constraints = _key_unique("testimony")

    def __str__(self) -> str:
        return self.title

    @property
    def shared_text(self) -> str:
        """The text as anyone but its organization reads it: redactions cut."""
        return REDACTED.sub(REDACTION_MARK, self.text)

    @property
    def own_text(self) -> str:
        """The text as its organization reads it: whole, the brackets taken away."""
        return REDACTED.sub(r"\1", self.text)


class Rate(models.Model):
    """An exchange rate a network records, exactly: `amount` minor units of `currency` were
    worth `common` minor units of the network's common currency on `on`."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    currency = models.CharField(max_length=3)
    common_currency = models.CharField(max_length=3)
    on = models.DateField()
    amount = models.BigIntegerField()
    common = models.BigIntegerField()

    class Meta:
        ordering = ["currency", "-on"]
        constraints = [
            models.UniqueConstraint(
                "network", "currency", "common_currency", "on", name="one_rate_a_day"
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(common__gt=0), name="rate_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.on}"
