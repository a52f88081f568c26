"""Pages of the relay: thin functions of access, form, action, render.

Audio is never served from a public media folder: each file goes through `report_audio`,
which checks who may hear it (the report's readers, or a feed's listeners) and answers range
requests so players can seek.
"""

import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from internationale.network import access as network_access
from internationale.network.access import reader, signed_in
from internationale.network.forms import add_errors
from internationale.network.models import Member
from internationale.relay import actions
from internationale.relay.access import (
    access_dossier,
    access_leg,
    access_relay,
    access_report,
    access_transcript,
    answered,
    reports_of,
    translation_queue,
)
from internationale.relay.files import audio_response, vtt_response
from internationale.relay.forms import (
    AudioReportForm,
    FeedForm,
    StartRelayForm,
    TextReportForm,
    circles_of,
)
from internationale.relay.models import Job, Leg, Relay, Report, Transcript


def relays(request: HttpRequest, network: str) -> HttpResponse:
    member = reader(request)
    found = network_access.access_network_members(member, network)
    return render(
        request,
        "relay/relays.html",
        {
            "network": found,
            "relays": Relay.objects.filter(network=found).prefetch_related(
                "legs__circle__organization"
            ),
            "can_start": actions.can_start_relay(member, found),
        },
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """A translator's queue: reports waiting for a version in the languages they read."""
    member = signed_in(request)
    return render(request, "relay/queue.html", {"queue": translation_queue(member)})


@login_required
def start_relay(request: HttpRequest, network: str) -> HttpResponse:
    member = signed_in(request)
    found = network_access.access_network_members(member, network)
    if not actions.can_start_relay(member, found):
        raise PermissionDenied
    form = StartRelayForm(
        request.POST or None,
        circles=circles_of(found),
        initial={"languages": [member.language]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            relay = actions.start_relay(
                member,
                network=found,
                title=data["title"],
                prompt=data["prompt"],
                circles=data["circles"],
                languages=data["languages"],
                leg_days=data["leg_days"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The relay has started: the first circle is on duty."))
            return redirect(relay)
    return render(request, "relay/relay_new.html", {"network": found, "form": form})


def _legs_with_reports(relay: Relay, reports: list[Report]) -> list[Leg]:
    legs = list(relay.legs.select_related("circle__organization"))
    by_leg: dict[int, list[Report]] = {leg.pk: [] for leg in legs}
    for report in reports:
        by_leg[report.leg_id].append(report)
    for leg in legs:
        leg.shown_reports = by_leg[leg.pk]  # type: ignore[attr-defined]
    return legs


def dossier(request: HttpRequest, relay: int) -> HttpResponse:
    member = reader(request)
    found, reports = access_dossier(member, relay)
    return render(
        request,
        "relay/dossier.html",
        {
            "relay": found,
            "legs": _legs_with_reports(found, reports),
            "is_member": member is not None and found.network_id in member.network_ids(),
        },
    )


def dossier_pdf(request: HttpRequest, relay: int) -> HttpResponse:
    """The dossier as PDF, made by WeasyPrint from the same content. Nothing is fetched
    while rendering: the stylesheet is given, and every other address is refused."""
    import weasyprint

    found, reports = access_dossier(reader(request), relay)
    html = render_to_string(
        "relay/dossier_print.html",
        {"relay": found, "legs": _legs_with_reports(found, reports)},
        request=request,
    )
    document = weasyprint.HTML(string=html, url_fetcher=_refuse_fetching)
    pdf = document.write_pdf(
        stylesheets=[weasyprint.CSS(string=render_to_string("relay/dossier.css"))]
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="relay-{found.pk}.pdf"'
    return response


def _refuse_fetching(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"the dossier fetches nothing ({url[:40]})")


def relay(request: HttpRequest, relay: int) -> HttpResponse:
    """The mosaic: the whole chain, place by place, with what the reader may read."""
    member = reader(request)
    found = access_relay(member, relay)
    reports = reports_of(member, found)
    language = _chosen_language(request, member, found)
    for report in reports:
        report.shown = _version(report, language)  # type: ignore[attr-defined]
    legs = _legs_with_reports(found, reports)
    for leg in legs:
        leg.on_duty = actions.is_on_duty(member, leg)  # type: ignore[attr-defined]
    return render(
        request,
        "relay/relay.html",
        {
            "relay": found,
            "legs": legs,
            "language": language,
            "languages": _offered_languages(found, reports),
            "can_publish": actions.can_start_relay(member, found.network),
            "feed_form": FeedForm(initial={"feed": found.feed}),
            "site_url": settings.SITE_URL,
        },
    )


def _chosen_language(request: HttpRequest, member: Member | None, relay: Relay) -> str:
    asked = request.GET.get("language", "")
    if asked and re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]{2,8})*", asked):
        return asked
    return getattr(request, "LANGUAGE_CODE", "") or (member.language if member else "en")


def _offered_languages(relay: Relay, reports: list[Report]) -> list[str]:
    codes = list(relay.languages)
    for report in reports:
        for transcript in report.transcripts.all():
            if transcript.language not in codes:
                codes.append(transcript.language)
    return codes


def _version(report: Report, language: str) -> Transcript | None:
    """The transcript to show: in `language` if there is one, else the original."""
    transcripts = list(report.transcripts.all())
    for transcript in transcripts:
        if transcript.language == language and transcript.segments.all():
            return transcript
    return next((t for t in transcripts if t.is_original), None)


@require_POST
@login_required
def set_feed(request: HttpRequest, relay: int) -> HttpResponse:
    member = signed_in(request)
    found = access_relay(member, relay)
    form = FeedForm(request.POST)
    if form.is_valid():
        try:
            actions.set_feed(member, relay=found, feed=form.cleaned_data["feed"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The podcast feed is set."))
    return redirect(found)


@login_required
def leg(request: HttpRequest, leg: int) -> HttpResponse:
    """The circle on duty's page: record or upload, write, pass on."""
    member = signed_in(request)
    found = access_leg(member, leg)
    if not actions.is_on_duty(member, found):
        raise PermissionDenied
    earlier = (
        Report.objects.visible_to(member)
        .filter(leg__relay=found.relay, leg__position__lt=found.position)
        .select_related("organization")
    )
    kind = request.POST.get("kind") if request.method == "POST" else None
    audio_form = AudioReportForm(
        request.POST if kind == "audio" else None,
        request.FILES if kind == "audio" else None,
        earlier=earlier,
        prefix="audio",
        initial={"language": member.language},
    )
    text_form = TextReportForm(
        request.POST if kind == "text" else None,
        earlier=earlier,
        prefix="text",
        initial={"language": member.language},
    )
    if kind == "audio":
        report = _add_audio(request, member, found, audio_form)
        if report is not None:
            return redirect(report)
    if kind == "text" and text_form.is_valid():
        data = text_form.cleaned_data
        try:
            report = actions.add_text_report(
                member, leg=found, fields=_fields(data), text=data["text"]
            )
        except ValidationError as error:
            add_errors(text_form, error)
        else:
            messages.success(request, _("Your report is added."))
            _doubt(request, data["text"], report)
            return redirect(report)
    return render(
        request,
        "relay/leg.html",
        {
            "leg": found,
            "relay": found.relay,
            "audio_form": audio_form,
            "text_form": text_form,
            "reports": reports_of(member, found.relay),
            "own_reports": found.reports.exists(),
        },
    )


def _fields(data: dict[str, Any]) -> actions.ReportFields:
    return actions.ReportFields(
        title=data["title"],
        speaker=data["speaker"],
        language=data["language"],
        visibility=data["visibility"],
        responds_to=data["responds_to"],
    )


def _add_audio(
    request: HttpRequest, member: Member, leg: Leg, form: AudioReportForm
) -> Report | None:
    upload = request.FILES.get("audio-audio")
    # Uploads always go to temporary files (FILE_UPLOAD_HANDLERS), never into memory.
    raw = Path(upload.temporary_file_path()) if isinstance(upload, TemporaryUploadedFile) else None
    try:
        if not form.is_valid() or raw is None:
            return None
        data = form.cleaned_data
        try:
            report = actions.add_audio_report(
                member, leg=leg, fields=_fields(data), upload=raw, disguise=data["disguise"]
            )
        except ValidationError as error:
            add_errors(form, error)
            return None
        messages.success(request, _("Your recording is added, made safe and stripped of metadata."))
        return report
    finally:
        # Whatever happened, the raw upload is gone when the request ends.
        if raw is not None:
            raw.unlink(missing_ok=True)


@require_POST
@login_required
def pass_on(request: HttpRequest, leg: int) -> HttpResponse:
    member = signed_in(request)
    found = access_leg(member, leg)
    try:
        following = actions.pass_on(member, leg=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(found.relay)
    if following is None:
        messages.success(request, _("The relay is complete."))
    else:
        messages.success(
            request, _("Passed on: %(circle)s is on duty now.") % {"circle": following.circle}
        )
    return redirect(found.relay)


def report(request: HttpRequest, report: int) -> HttpResponse:
    member = reader(request)
    found = access_report(member, report)
    found.answered = answered(member, found)  # type: ignore[attr-defined]
    transcripts = list(found.transcripts.prefetch_related("segments"))
    original = next((t for t in transcripts if t.is_original), None)
    can_edit = actions.can_edit_transcripts(member, found)
    missing = [
        code for code in found.leg.relay.languages if code not in {t.language for t in transcripts}
    ]
    translator = actions.machine_translator() if can_edit and original else None
    machine_targets = [
        code
        for code in found.leg.relay.languages
        if translator is not None
        and code != found.language
        and translator.supports(found.language, code)
    ]
    return render(
        request,
        "relay/report.html",
        {
            "report": found,
            "relay": found.leg.relay,
            "original": original,
            "translations": [t for t in transcripts if not t.is_original],
            "can_edit": can_edit,
            "missing": missing,
            "responses": found.responses.visible_to(member),
            "machine_speech": bool(settings.WHISPER_MODEL),
            "working": any(t.job in (Job.QUEUED, Job.RUNNING) for t in transcripts),
            "machine_targets": machine_targets,
        },
    )


@login_required
def transcript(request: HttpRequest, report: int, language: str) -> HttpResponse:
    """The transcript editor: the original's lines beside this language's, one by one."""
    member = signed_in(request)
    found = access_report(member, report)
    if not actions.can_edit_transcripts(member, found):
        raise PermissionDenied
    existing = found.transcripts.filter(language=language).first()
    original = found.transcripts.filter(language=found.language).first()
    source_lines = list(original.segments.all()) if original and language != found.language else []
    if request.method == "POST":
        lines = _posted_lines(request)
        try:
            saved = actions.save_transcript(member, report=found, language=language, lines=lines)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Saved as a draft. Someone else can now review it."))
            _doubt(request, " ".join(line.text for line in lines), found, language=language)
            return redirect(saved)
    current = list(existing.segments.all()) if existing else []
    rows = _editor_rows(source_lines, current)
    return render(
        request,
        "relay/transcript.html",
        {
            "report": found,
            "relay": found.leg.relay,
            "language": language,
            "transcript": existing,
            "rows": rows,
            "translating": language != found.language,
        },
    )


def _doubt(request: HttpRequest, text: str, report: Report, *, language: str = "") -> None:
    """Warn when the words read like another language than the one declared."""
    declared = language or report.language
    among = [*report.leg.relay.languages, report.language, declared]
    warning = actions.language_doubt(text, declared=declared, among=among)
    if warning:
        messages.warning(request, warning)


@require_POST
@login_required
def machine_translation(request: HttpRequest, report: int) -> HttpResponse:
    member = signed_in(request)
    found = access_report(member, report)
    try:
        actions.request_machine_translation(
            member, report=found, language=request.POST.get("language", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The machine will draft the translation; review it after."))
    return redirect(found)


def _posted_lines(request: HttpRequest) -> list[actions.Line]:
    lines = []
    count = min(int(request.POST.get("count", "0") or 0), actions.MAX_SEGMENTS + 1)
    for i in range(count):
        text = request.POST.get(f"text-{i}", "")
        try:
            start = int(request.POST.get(f"start-{i}", "0") or 0)
            end = int(request.POST.get(f"end-{i}", "0") or 0)
        except ValueError:
            raise ValidationError(_("Times are whole milliseconds.")) from None
        if text.strip() or start or end:
            lines.append(actions.Line(start, end, text))
    return lines


def _editor_rows(source: list[Any], current: list[Any]) -> list[dict[str, Any]]:
    """One row per line: the source line (when translating) and this version's line, with
    one empty row more to add a line."""
    rows = []
    for i in range(max(len(source), len(current)) + 1):
        mine = current[i] if i < len(current) else None
        theirs = source[i] if i < len(source) else None
        timing = mine or theirs
        rows.append(
            {
                "index": i,
                "source": theirs.text if theirs else "",
                "text": mine.text if mine else "",
                "start_ms": timing.start_ms if timing else 0,
                "end_ms": timing.end_ms if timing else 0,
            }
        )
    return rows


@require_POST
@login_required
def review(request: HttpRequest, report: int, language: str) -> HttpResponse:
    member = signed_in(request)
    found = access_transcript(member, report, language)
    try:
        actions.review_transcript(member, transcript=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Marked as reviewed."))
    return redirect(found.report)


@require_POST
@login_required
def machine_transcription(request: HttpRequest, report: int) -> HttpResponse:
    member = signed_in(request)
    found = access_report(member, report)
    try:
        actions.request_transcription(
            member, report=found, english=request.POST.get("english") == "true"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The machine will transcribe it; this page shows its progress.")
        )
    return redirect(found)


def transcript_vtt(request: HttpRequest, report: int, language: str) -> HttpResponse:
    return vtt_response(access_transcript(reader(request), report, language))


def report_audio(request: HttpRequest, report: int, kind: str) -> HttpResponseBase:
    found = access_report(reader(request), report)
    return audio_response(request, found, kind)
