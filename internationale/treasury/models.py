"""The solidarity fund of a network: its rules, stewards, pledges, draws and ledger.

The ledger's rows follow `treasury/ledger.py`: an `Account` holds one currency and four
running totals; a `Transfer` moves a whole number of minor units from the account it debits
to the account it credits and is written with its `Entry` rows, which the database keeps
append-only. The running totals are a cache of the entries that `verify` re-checks.
"""

from datetime import date, datetime
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from internationale.core.money import Money
from internationale.network.models import Network, Organization


class Period(models.TextChoices):
    MONTH = "month", _("per month")
    QUARTER = "quarter", _("per quarter")


class Fund(models.Model):
    """A network's shared fund. Its rules are the fields below `currency`; after opening
    they change only through an adopted `Proposal`."""

    network = models.OneToOneField(Network, on_delete=models.PROTECT, related_name="fund")
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name in links"), max_length=60, unique=True)
    currency = models.CharField(_("base currency"), max_length=3)
    weight_urgency = models.PositiveSmallIntegerField(_("weight of urgency"), default=3)
    weight_strategy = models.PositiveSmallIntegerField(
        _("weight of strategic importance"), default=2
    )
    weight_need = models.PositiveSmallIntegerField(_("weight of need"), default=2)
    approvals_needed = models.PositiveSmallIntegerField(_("approvals needed"), default=2)
    steward_seats = models.PositiveSmallIntegerField(_("stewards per term"), default=3)
    emergency_limit = models.BigIntegerField(_("emergency limit"), default=0)
    steward_term_days = models.PositiveIntegerField(_("steward term in days"), default=180)
    report_days = models.PositiveIntegerField(_("days to report back"), default=60)
    reservation_days = models.PositiveIntegerField(_("days an approval holds money"), default=30)
    public_summary = models.BooleanField(_("publish a public summary"), default=False)
    opened_at = models.DateTimeField(auto_now_add=True)

    RULE_FIELDS = (
        "weight_urgency",
        "weight_strategy",
        "weight_need",
        "approvals_needed",
        "steward_seats",
        "emergency_limit",
        "steward_term_days",
        "report_days",
        "reservation_days",
        "public_summary",
    )

    class Meta:
        verbose_name = _("fund")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("treasury:fund", kwargs={"fund": self.slug})

    def rules(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.RULE_FIELDS}

    @property
    def emergency_money(self) -> Money:
        return Money(self.emergency_limit, self.currency)


class AccountKind(models.TextChoices):
    HELD = "held", _("held by an organization")
    CONTRIBUTIONS = "contributions", _("contributions of an organization")
    DRAWS = "draws", _("draws")
    EXCHANGE = "exchange", _("currency exchange")


class Account(models.Model):
    """One currency's account. `code` is the ledger's id, e.g. 'held:alpha-union:USD'."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="accounts")
    code = models.CharField(max_length=120)
    kind = models.CharField(max_length=16, choices=AccountKind.choices)
    currency = models.CharField(max_length=3)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    draw_kind = models.CharField(max_length=16, blank=True)
    debits_must_not_exceed_credits = models.BooleanField(default=False)
    credits_must_not_exceed_debits = models.BooleanField(default=False)
    debits_pending = models.BigIntegerField(default=0)
    debits_posted = models.BigIntegerField(default=0)
    credits_pending = models.BigIntegerField(default=0)
    credits_posted = models.BigIntegerField(default=0)
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["currency", "kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "code"], name="one_account_per_code"),
            models.CheckConstraint(
                condition=~Q(debits_must_not_exceed_credits=True)
                | Q(credits_posted__gte=models.F("debits_posted") + models.F("debits_pending")),
                name="held_account_never_below_zero",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def available(self) -> Money:
        """Posted credits less posted and reserved debits: what a draw may still take."""
        return Money(self.credits_posted - self.debits_posted - self.debits_pending, self.currency)

    @property
    def reserved(self) -> Money:
        return Money(self.debits_pending, self.currency)

    @property
    def posted(self) -> Money:
        """The posted balance seen from the fund: credits less debits."""
        return Money(self.credits_posted - self.debits_posted, self.currency)


class TransferKind(models.TextChoices):
    POSTED = "posted", _("posted")
    PENDING = "pending", _("reserved")
    POST_PENDING = "post_pending", _("reservation paid out")
    VOID_PENDING = "void_pending", _("reservation released")


class Category(models.TextChoices):
    CONTRIBUTION = "contribution", _("contribution")
    DRAW = "draw", _("draw")
    EXCHANGE = "exchange", _("exchange")
    CUSTODY = "custody", _("change of custody")
    CORRECTION = "correction", _("correction")
    EXPIRY = "expiry", _("reservation expired")


class TransferQuerySet(models.QuerySet["Transfer"]):
    def open_reservations(self) -> Self:
        return self.filter(kind=TransferKind.PENDING, closed_by__isnull=True)

    def moving_money(self) -> Self:
        """Transfers that change posted balances."""
        return self.filter(kind__in=[TransferKind.POSTED, TransferKind.POST_PENDING])


class Transfer(models.Model):
    """An immutable movement. `key` is the client's idempotency key, unique in the fund.
    A post or void names its reservation in `pending`; a correction names in `reverses`
    the transfer it undoes. Each of those can happen once, which the database enforces."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="transfers")
    key = models.CharField(max_length=120)
    kind = models.CharField(max_length=16, choices=TransferKind.choices)
    category = models.CharField(max_length=16, choices=Category.choices)
    debit = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    credit = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    amount = models.BigIntegerField()
    pending = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="closed_by"
    )
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    timeout_at = models.DateTimeField(null=True, blank=True)
    link = models.CharField(max_length=120, blank=True)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    memo = models.CharField(max_length=300, blank=True)
    booked_at = models.DateTimeField(db_index=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = TransferQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "key"], name="one_transfer_per_key"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="amount_not_negative"),
            models.CheckConstraint(condition=~Q(debit=models.F("credit")), name="accounts_differ"),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def audit_label(self) -> str:
        return f"transfer {self.key}"

    @property
    def money(self) -> Money:
        return Money(self.amount, self.debit.currency)


class Side(models.TextChoices):
    DEBIT = "debit", _("debit")
    CREDIT = "credit", _("credit")


class Entry(models.Model):
    """One account's side of a transfer. A reservation's entries are `pending`; its post
    or void writes pending entries with the opposite sign that release it. Append-only."""

    transfer = models.ForeignKey(Transfer, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries")
    side = models.CharField(max_length=6, choices=Side.choices)
    pending = models.BooleanField(default=False)
    amount = models.BigIntegerField()

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "entries"

    def __str__(self) -> str:
        return f"{self.transfer_id} {self.side} {self.amount}"


class Steward(models.Model):
    """A member's seat in a term of the fund's stewards."""

    term = models.ForeignKey("Term", on_delete=models.CASCADE, related_name="seats")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["organization__country", "organization__name"]
        constraints = [models.UniqueConstraint(fields=["term", "member"], name="one_seat_per_term")]

    def __str__(self) -> str:
        return f"{self.member} ({self.organization})"


class TermState(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    SERVING = "serving", _("serving")
    ENDED = "ended", _("ended")
    REJECTED = "rejected", _("not approved")


class Term(models.Model):
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="terms")
    state = models.CharField(max_length=16, choices=TermState.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund"],
                condition=Q(state="serving"),
                name="one_serving_term_per_fund",
            )
        ]

    def __str__(self) -> str:
        return f"{self.fund} {self.starts_on}–{self.ends_on}"


class ProposalKind(models.TextChoices):
    RULES = "rules", _("change of rules")
    HANDOVER = "handover", _("handover to the next stewards")


class ProposalState(models.TextChoices):
    OPEN = "open", _("open")
    ADOPTED = "adopted", _("adopted")
    REJECTED = "rejected", _("objected to")


class Proposal(models.Model):
    """A change the serving stewards decide: new rules (in `rules`) or a handover to the
    proposed `term`. It is adopted at the fund's approval threshold; one reasoned
    objection rejects it."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="proposals")
    kind = models.CharField(max_length=16, choices=ProposalKind.choices)
    state = models.CharField(
        max_length=16, choices=ProposalState.choices, default=ProposalState.OPEN
    )
    rules = models.JSONField(default=dict, blank=True)
    term = models.OneToOneField(Term, null=True, blank=True, on_delete=models.PROTECT)
    reason = models.TextField(blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_state_display()})"

    @property
    def audit_label(self) -> str:
        return f"proposal {self.pk}"


class Choice(models.TextChoices):
    APPROVE = "approve", _("approve")
    OBJECT = "object", _("object")


class ProposalVote(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="votes")
    steward = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    choice = models.CharField(max_length=8, choices=Choice.choices)
    reason = models.TextField(blank=True)
    cast_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "steward"], name="one_vote_per_proposal")
        ]

    def __str__(self) -> str:
        return f"{self.steward}: {self.choice}"


class Pledge(models.Model):
    """An organization's commitment: `basis_points` (hundredths of a percent) of its
    declared income per period, from `starts_on` until it is cancelled."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="pledges")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    basis_points = models.PositiveIntegerField(_("share of income"))
    period = models.CharField(_("period"), max_length=8, choices=Period.choices)
    currency = models.CharField(_("currency"), max_length=3)
    declared_income = models.BigIntegerField(_("declared income per period"))
    starts_on = models.DateField(_("first period starts"))
    cancelled_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization__name", "-starts_on"]

    def __str__(self) -> str:
        return f"{self.organization}: {self.percent_text}% {self.period}"

    @property
    def audit_label(self) -> str:
        return f"pledge {self.pk}"

    @property
    def per_period(self) -> Money:
        """What one period expects: the share of the declared income, rounded down to the
        minor unit (integer arithmetic only)."""
        return Money(self.declared_income * self.basis_points // 10_000, self.currency)

    @property
    def percent_text(self) -> str:
        whole, rest = divmod(self.basis_points, 100)
        return f"{whole}.{rest:02d}".rstrip("0").rstrip(".")


class Contribution(models.Model):
    """Money received, booked as one transfer into the fund."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="contributions")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    pledge = models.ForeignKey(
        Pledge, null=True, blank=True, on_delete=models.PROTECT, related_name="contributions"
    )
    transfer = models.OneToOneField(Transfer, on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField(_("received on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.organization} {self.received_on}"

    @property
    def audit_label(self) -> str:
        return f"contribution {self.pk}"


class OtherKind(models.TextChoices):
    RISK = "risk", _("risk carried")
    INSIGHT = "insight", _("strategic insight")
    HOURS = "hours", _("hours of work")


class OtherContribution(models.Model):
    """What is given that is not money. Never converted into money."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="others")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=8, choices=OtherKind.choices)
    description = models.TextField(_("description"))
    hours = models.PositiveIntegerField(_("hours"), null=True, blank=True)
    given_on = models.DateField(_("when"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-given_on", "-id"]

    def __str__(self) -> str:
        return f"{self.organization}: {self.get_kind_display()}"

    @property
    def audit_label(self) -> str:
        return f"other contribution {self.pk}"


class DrawKind(models.TextChoices):
    REPRESSION = "repression", _("repression")
    STRIKE = "strike", _("strike hardship")
    DISASTER = "disaster", _("disaster")
    ACTION = "action", _("preparing an action")


class DrawState(models.TextChoices):
    REVIEW = "review", _("in review")
    RETURNED = "returned", _("sent back")
    RESERVED = "reserved", _("approved, money reserved")
    PAID = "paid", _("paid out")
    RELEASED = "released", _("reservation released")
    WITHDRAWN = "withdrawn", _("withdrawn")


class DrawQuerySet(models.QuerySet["Draw"]):
    def open(self) -> Self:
        return self.filter(state__in=[DrawState.REVIEW, DrawState.RETURNED])


class Draw(models.Model):
    """A member organization's request for money, from review to report-back."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="draws")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("what it is for"), max_length=16, choices=DrawKind.choices)
    amount = models.BigIntegerField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3)
    means = models.BigIntegerField(_("money the organization has for this"))
    needed_by = models.DateField(_("needed by"))
    narrative = models.TextField(_("what happened and what the money is for"))
    evidence = models.TextField(_("evidence"), blank=True)
    blind = models.BooleanField(_("blind review"), default=False)
    emergency = models.BooleanField(_("emergency fast track"), default=False)
    state = models.CharField(max_length=16, choices=DrawState.choices, default=DrawState.REVIEW)
    round = models.PositiveSmallIntegerField(default=1)
    submitted_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    reservation = models.OneToOneField(
        Transfer, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payment = models.OneToOneField(
        Transfer, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    paid_amount = models.BigIntegerField(default=0)
    report_due = models.DateField(null=True, blank=True)

    objects = DrawQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.money}"

    def get_absolute_url(self) -> str:
        return reverse("treasury:draw", kwargs={"draw": self.pk})

    @property
    def audit_label(self) -> str:
        return f"draw {self.pk}"

    @property
    def money(self) -> Money:
        return Money(self.amount, self.currency)

    @property
    def paid(self) -> Money:
        return Money(self.paid_amount, self.currency)

    @property
    def is_decided(self) -> bool:
        return self.state in (DrawState.RESERVED, DrawState.PAID, DrawState.RELEASED)

    def report_overdue(self, today: date) -> bool:
        return (
            self.state == DrawState.PAID
            and self.report_due is not None
            and self.report_due < today
            and not self.reports.exists()
        )


class DrawVote(models.Model):
    """A steward's vote in one round of a draw's review, with their rating of its
    strategic importance (1 to 5)."""

    draw = models.ForeignKey(Draw, on_delete=models.CASCADE, related_name="votes")
    round = models.PositiveSmallIntegerField()
    steward = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    choice = models.CharField(max_length=8, choices=Choice.choices)
    strategy = models.PositiveSmallIntegerField(_("strategic importance"))
    reason = models.TextField(_("reason"), blank=True)
    after_decision = models.BooleanField(default=False)
    cast_at = models.DateTimeField()

    class Meta:
        ordering = ["cast_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "round", "steward"], name="one_vote_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.steward}: {self.choice}"


class Report(models.Model):
    """How the receiving organization used the money."""

    draw = models.ForeignKey(Draw, on_delete=models.PROTECT, related_name="reports")
    text = models.TextField(_("how the money was used"))
    spent = models.BigIntegerField(_("amount spent"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["submitted_at", "id"]

    def __str__(self) -> str:
        return f"report on {self.draw_id}"

    @property
    def audit_label(self) -> str:
        return f"report {self.pk}"


class Custody(models.Model):
    """Which organization holds the fund's money in a currency (its bank account or box),
    from when; custody is not ownership: the money is the network's."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="custodies")
    currency = models.CharField(max_length=3)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    since = models.DateTimeField()
    current = models.BooleanField(default=True)

    class Meta:
        ordering = ["currency", "-since"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "currency"],
                condition=Q(current=True),
                name="one_custodian_per_currency",
            )
        ]

    def __str__(self) -> str:
        return f"{self.currency}: {self.organization}"


def when(value: datetime | None) -> int:
    """A time as whole seconds, the ledger core's clock."""
    return int(value.timestamp()) if value is not None else 0
