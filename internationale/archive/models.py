"""The living archive of a network: entities, and the knowledge its organizations record.

Entities (companies, organizations, people) follow the FollowTheMoney model, so they move to
and from Aleph and OpenSanctions tools; they are shared by the members of their network.
Items are what organizations know: testimonies, wage records, links between entities
(supplies, owns, finances, contracts, ships for) and legal tactics. Each item has a
visibility (private to its organization by default) and a `key`, so a CSV import updates the
record it imported before instead of adding it twice.
"""

import re
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from internationale.core.money import Money
from internationale.core.visibility import Visibility, VisibleContent, VisibleQuerySet, reader_ids
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

    def visible_to(self, member: Any) -> Self:
        """What the reader may read. A private organization's items stay with its own
        members whatever their visibility, so they never name it to outsiders (as its
        notices do)."""
        organization_ids, _networks = reader_ids(member)
        return (
            super()
            .visible_to(member)
            .exclude(
                Q(organization__visibility=Visibility.PRIVATE)
                & ~Q(organization_id__in=organization_ids)
            )
        )


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
    text = models.TextField(_("text"), blank=True)
    audio_ogg = models.FileField(upload_to="archive/", blank=True)
    audio_mp3 = models.FileField(upload_to="archive/", blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    transcribing = models.CharField(max_length=8, blank=True)
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

    @property
    def amount_money(self) -> Money:
        return Money(self.amount, self.currency)

    @property
    def common_money(self) -> Money:
        return Money(self.common, self.common_currency)


class Origin(models.TextChoices):
    HUMAN = "human", _("by a person")
    MACHINE = "machine", _("by a machine")


class Review(models.TextChoices):
    DRAFT = "draft", _("draft")
    REVIEWED = "reviewed", _("reviewed")


class Translation(models.Model):
    """The words of a testimony or a legal tactic in another language. It is read by whoever
    reads its item; redactions [[like this]] are cut from shared copies as in a testimony."""

    testimony = models.ForeignKey(
        Testimony, on_delete=models.CASCADE, null=True, blank=True, related_name="translations"
    )
    tactic = models.ForeignKey(
        LegalTactic, on_delete=models.CASCADE, null=True, blank=True, related_name="translations"
    )
    language = models.CharField(_("language"), max_length=16)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"))
    origin = models.CharField(max_length=8, choices=Origin, default=Origin.HUMAN)
    review = models.CharField(max_length=8, choices=Review, default=Review.DRAFT)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["language", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(testimony__isnull=True, tactic__isnull=False)
                | Q(testimony__isnull=False, tactic__isnull=True),
                name="translation_of_one_item",
            ),
            models.UniqueConstraint(
                "testimony", "language", name="one_translation_per_testimony_language"
            ),
            models.UniqueConstraint(
                "tactic", "language", name="one_translation_per_tactic_language"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def item(self) -> "Testimony | LegalTactic":
        return self.testimony if self.testimony is not None else self.tactic  # type: ignore[return-value]

    @property
    def shared_text(self) -> str:
        return REDACTED.sub(REDACTION_MARK, self.text)

    @property
    def own_text(self) -> str:
        return REDACTED.sub(r"\1", self.text)


class Mention(models.Model):
    """A name of `entity` found in a text: a testimony, a legal tactic, a translation of
    either, or a relay transcript. `start` and `end` are offsets into the text as its own
    organization reads it (a translation's title and text joined by a line break; a legal
    tactic's issue, tactic, documents and jurisdiction, one per line); `shared` says whether
    the mention is also in the shared copy (it is not when it lies inside a redaction, and
    then only that organization sees it)."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="mentions")
    testimony = models.ForeignKey(
        Testimony, on_delete=models.CASCADE, null=True, blank=True, related_name="mentions"
    )
    tactic = models.ForeignKey(
        LegalTactic, on_delete=models.CASCADE, null=True, blank=True, related_name="mentions"
    )
    translation = models.ForeignKey(
        Translation, on_delete=models.CASCADE, null=True, blank=True, related_name="mentions"
    )
    transcript = models.ForeignKey(
        "relay.Transcript", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    language = models.CharField(max_length=16, blank=True)
    surface = models.CharField(max_length=300)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    shared = models.BooleanField(default=True)

    class Meta:
        ordering = ["entity", "id"]
        indexes = [models.Index("network", "entity", name="mention_by_entity")]

    def __str__(self) -> str:
        return self.surface


class Level(models.TextChoices):
    ENTITY = "entity", _("the same legal entity")
    GROUP = "group", _("the same corporate group")


class Verdict(models.TextChoices):
    SAME = "same", _("same")
    DIFFERENT = "different", _("different")
    UNSURE = "unsure", _("unsure")


class Judgement(models.Model):
    """A researcher's answer to "are these two records the same legal entity (or of the
    same corporate group)?". The records themselves are never changed: clusters are drawn
    from the judgements, transitively, and change back when a judgement is withdrawn or
    changed. `left` is the record with the smaller id."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    level = models.CharField(max_length=8, choices=Level)
    left = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="+")
    verdict = models.CharField(max_length=10, choices=Verdict)
    score = models.FloatField(null=True, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    judged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    judged_at = models.DateTimeField()

    class Meta:
        ordering = ["-judged_at", "id"]
        constraints = [
            models.UniqueConstraint(
                "network", "level", "left", "right", name="one_judgement_a_pair"
            ),
            models.CheckConstraint(
                condition=Q(left__lt=models.F("right")), name="judgement_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.left_id} {self.verdict} {self.right_id}"

    @property
    def audit_label(self) -> str:
        return f"judgement {self.pk}"


class SearchEntry(VisibleContent):
    """One searchable text, with its reader's rights copied from its source: a testimony's
    shared copy, a translation, a legal tactic, a wage record, a link's evidence, an entity's
    names, or a relay transcript. SQLite searches it through an FTS5 table kept in step by
    triggers; PostgreSQL through a full-text index on the same columns."""

    networks_field = "network"

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=12)
    object_id = models.PositiveIntegerField()
    language = models.CharField(max_length=16, blank=True)
    country = models.CharField(max_length=2, blank=True)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    updated_at = models.DateTimeField()

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "id"]
        constraints = [models.UniqueConstraint("kind", "object_id", name="one_entry_a_source")]
        indexes = [models.Index("network", "kind", name="search_entry_by_kind")]

    def __str__(self) -> str:
        return self.title
