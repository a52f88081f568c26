"""A relay: a prompt passed from circle to circle, each answering with field reports.

A `Relay` belongs to a network and has ordered `Leg`s, one per circle, each open for a
time-box. A circle on duty adds `Report`s: audio (stored only once made safe by
`relay/audio.py`) or text. Each report has transcripts: one in its own language (the
original, with timed segments) and one per translation, each made by a person or a machine
and marked draft or reviewed. A report's visibility covers its transcripts.
"""

from datetime import datetime
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from internationale.core.visibility import VisibleContent, VisibleQuerySet, reader_ids
from internationale.network.models import Circle, Network, Organization


class RelayQuerySet(models.QuerySet["Relay"]):
    def visible_to(self, member: Any) -> Self:
        """Relays of the reader's networks."""
        _org_ids, net_ids = reader_ids(member)
        return self.filter(network_id__in=net_ids)


class Feed(models.TextChoices):
    NONE = "none", _("No podcast feed")
    PRIVATE = "private", _("Private feed behind a secret link")
    PUBLIC = "public", _("Public feed")


class Relay(models.Model):
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="relays")
    title = models.CharField(_("title"), max_length=200)
    prompt = models.TextField(_("prompt for the first circle"))
    languages = models.JSONField(_("languages the chain must be available in"), default=list)
    leg_days = models.PositiveSmallIntegerField(_("days per leg"), default=7)
    feed = models.CharField(_("podcast feed"), max_length=8, choices=Feed, default=Feed.NONE)
    feed_secret = models.CharField(max_length=64, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = RelayQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("relay")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("relay:relay", kwargs={"relay": self.pk})

    @property
    def audit_label(self) -> str:
        return f"relay {self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None


class LegState(models.TextChoices):
    WAITING = "waiting", _("waiting")
    OPEN = "open", _("on duty")
    DONE = "done", _("passed on")


class LegQuerySet(models.QuerySet["Leg"]):
    def open(self) -> Self:
        return self.filter(state=LegState.OPEN)

    def overdue(self, now: datetime) -> Self:
        return self.open().filter(due_at__lte=now)


class Leg(models.Model):
    relay = models.ForeignKey(Relay, on_delete=models.CASCADE, related_name="legs")
    position = models.PositiveSmallIntegerField()
    circle = models.ForeignKey(Circle, on_delete=models.PROTECT, related_name="relay_legs")
    state = models.CharField(max_length=8, choices=LegState, default=LegState.WAITING)
    opened_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = LegQuerySet.as_manager()

    class Meta:
        ordering = ["relay", "position"]
        verbose_name = _("leg")
        constraints = [
            models.UniqueConstraint("relay", "position", name="leg_position_unique_in_relay"),
            models.UniqueConstraint(
                "relay", condition=Q(state="open"), name="one_open_leg_per_relay"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.relay} #{self.position}"

    def get_absolute_url(self) -> str:
        return reverse("relay:leg", kwargs={"leg": self.pk})

    @property
    def audit_label(self) -> str:
        return f"leg {self.pk}"

    @property
    def number(self) -> int:
        return self.position + 1


class ReportKind(models.TextChoices):
    AUDIO = "audio", _("audio")
    TEXT = "text", _("text")


class Report(VisibleContent):
    """A field report of a circle on duty. Its organization is the circle's; it is shared
    with the relay's network when its visibility says so."""

    networks_field = "network"

    leg = models.ForeignKey(Leg, on_delete=models.PROTECT, related_name="reports")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    speaker = models.CharField(_("speaker's pseudonym"), max_length=80)
    language = models.CharField(_("language"), max_length=16)
    kind = models.CharField(max_length=8, choices=ReportKind)
    title = models.CharField(_("title"), max_length=200)
    audio_ogg = models.FileField(upload_to="relay/", blank=True)
    audio_mp3 = models.FileField(upload_to="relay/", blank=True)
    audio_mp3_bytes = models.PositiveBigIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)
    disguised = models.BooleanField(_("voice disguised"), default=False)
    responds_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responses",
        verbose_name=_("responds to"),
    )
    created_at = models.DateTimeField()

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["leg__position", "created_at", "id"]
        verbose_name = _("field report")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("relay:report", kwargs={"report": self.pk})

    @property
    def audit_label(self) -> str:
        return f"report {self.pk}"

    @property
    def has_audio(self) -> bool:
        return self.kind == ReportKind.AUDIO and bool(self.audio_ogg)


class Origin(models.TextChoices):
    PERSON = "person", _("by a person")
    MACHINE = "machine", _("by a machine")


class Review(models.TextChoices):
    DRAFT = "draft", _("draft")
    REVIEWED = "reviewed", _("reviewed")


class Job(models.TextChoices):
    NONE = "", _("none")
    QUEUED = "queued", _("waiting for the machine")
    RUNNING = "running", _("the machine is working")
    DONE = "done", _("done")
    FAILED = "failed", _("the machine failed")


class Transcript(models.Model):
    """A report's words in one language, as timed segments. The one in the report's own
    language is the original; the others are translations (`source` is the original)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="transcripts")
    language = models.CharField(max_length=16)
    source = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="translations"
    )
    origin = models.CharField(max_length=8, choices=Origin, default=Origin.PERSON)
    engine = models.CharField(max_length=40, blank=True)
    review = models.CharField(max_length=8, choices=Review, default=Review.DRAFT)
    job = models.CharField(max_length=8, choices=Job, default=Job.NONE, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField()

    class Meta:
        # The original (no source) first, on SQLite and PostgreSQL alike.
        ordering = ["report", models.F("source").asc(nulls_first=True), "language"]
        verbose_name = _("transcript")
        constraints = [
            models.UniqueConstraint(
                "report", "language", name="one_transcript_per_language_of_a_report"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report} [{self.language}]"

    def get_absolute_url(self) -> str:
        return reverse(
            "relay:transcript", kwargs={"report": self.report_id, "language": self.language}
        )

    @property
    def audit_label(self) -> str:
        return f"transcript {self.pk}"

    @property
    def is_original(self) -> bool:
        return self.source_id is None


class Segment(models.Model):
    transcript = models.ForeignKey(Transcript, on_delete=models.CASCADE, related_name="segments")
    index = models.PositiveIntegerField()
    start_ms = models.PositiveIntegerField()
    end_ms = models.PositiveIntegerField()
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["transcript", "index"]
        constraints = [
            models.UniqueConstraint(
                "transcript", "index", name="segment_index_unique_in_transcript"
            ),
            models.CheckConstraint(
                condition=Q(end_ms__gte=models.F("start_ms")), name="segment_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]
