"""Shapes of the relay API.

Times are ISO 8601 datetimes; lengths and transcript times are whole milliseconds. Circles
and reports are named by id, organizations and networks by their short names (`slug`).
"""

from datetime import datetime

from ninja import Schema


class CircleRefOut(Schema):
    id: int
    name: str


class OrganizationRefOut(Schema):
    slug: str
    name: str


class LegOut(Schema):
    id: int
    position: int
    circle: CircleRefOut
    organization: OrganizationRefOut
    state: str
    opened_at: datetime | None
    due_at: datetime | None
    closed_at: datetime | None


class LegDetailOut(LegOut):
    you_are_on_duty: bool


class RelayFieldsOut(Schema):
    id: int
    network: str
    title: str
    prompt: str
    languages: list[str]
    leg_days: int
    feed: str
    started_at: datetime
    finished_at: datetime | None


class RelaySummaryOut(RelayFieldsOut):
    legs: list[LegOut]


class VersionOut(Schema):
    language: str
    original: bool
    origin: str
    review: str
    job: str
    progress: int


class AudioOut(Schema):
    ogg: str
    mp3: str


class ReportOut(Schema):
    id: int
    leg: int
    organization: str
    title: str
    speaker: str
    language: str
    kind: str
    visibility: str
    responds_to: int | None
    disguised: bool
    duration_ms: int
    audio: AudioOut | None
    created_at: datetime
    versions: list[VersionOut]


class RelayOut(RelayFieldsOut):
    legs: list[LegDetailOut]
    feed_url: str | None
    you_can_publish: bool
    reports: list[ReportOut]


class SegmentOut(Schema):
    start_ms: int
    end_ms: int
    text: str


class ReportDetailOut(ReportOut):
    relay: int
    you_can_edit_transcripts: bool
    segments: list[SegmentOut]


class TranscriptOut(Schema):
    language: str
    original: bool
    origin: str
    engine: str
    review: str
    job: str
    progress: int
    segments: list[SegmentOut]


class StartRelayIn(Schema):
    title: str
    prompt: str
    circles: list[int]
    languages: list[str]
    leg_days: int = 7


class ReportFieldsIn(Schema):
    title: str
    speaker: str
    language: str
    visibility: str = "network"
    responds_to: int | None = None


class TextReportIn(ReportFieldsIn):
    text: str


class AudioReportIn(ReportFieldsIn):
    disguise: int = 0


class PassOnOut(Schema):
    next_leg: int | None


class SegmentIn(Schema):
    start_ms: int
    end_ms: int
    text: str = ""


class TranscriptIn(Schema):
    segments: list[SegmentIn]


class MachineTranscriptionIn(Schema):
    english: bool = False


class MachineTranslationIn(Schema):
    language: str


class FeedIn(Schema):
    feed: str


class FeedOut(Schema):
    feed: str
    feed_url: str | None
