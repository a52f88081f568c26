"""Serving a report's files: its recordings and its transcripts as WebVTT captions.

Recordings are served only through a view that has checked who may hear it.

The safe files live in the default storage, which is never served directly. This answers
range requests, so players can seek, for the pages, the podcast feed and the API alike.
"""

import re

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

from internationale.core.visibility import Visibility
from internationale.relay import webvtt
from internationale.relay.models import Report, Transcript


def audio_response(request: HttpRequest, report: Report, kind: str) -> HttpResponseBase:
    field = {"ogg": report.audio_ogg, "mp3": report.audio_mp3}.get(kind)
    if field is None or not field:
        raise Http404
    content_type = "audio/ogg" if kind == "ogg" else "audio/mpeg"
    size = field.size
    match = re.fullmatch(r"bytes=(\d*)-(\d*)", request.headers.get("Range", ""))
    handle = field.open("rb")
    response: HttpResponseBase
    if match and (match[1] or match[2]):
        if match[1]:
            start = int(match[1])
            end = min(int(match[2]) if match[2] else size - 1, size - 1)
        else:
            start, end = max(size - int(match[2]), 0), size - 1
        if start > end or start >= size:
            handle.close()
            refused = HttpResponse(status=416)
            refused["Content-Range"] = f"bytes */{size}"
            return refused
        handle.seek(start)
        body = handle.read(end - start + 1)
        handle.close()
        response = HttpResponse(body, status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    else:
        response = FileResponse(handle, content_type=content_type)
        response["Content-Length"] = str(size)
    response["Accept-Ranges"] = "bytes"
    shared = report.visibility == Visibility.PUBLIC
    response["Cache-Control"] = "public, max-age=3600" if shared else "private, max-age=3600"
    response["Content-Disposition"] = f'inline; filename="report-{report.pk}.{kind}"'
    return response


def vtt_response(transcript: Transcript) -> HttpResponse:
    """A version as WebVTT captions: its timed lines (the lines of a written report have no
    time, and captions need one)."""
    body = webvtt.write(
        (s.start_ms, s.end_ms, s.text) for s in transcript.segments.all() if s.end_ms > s.start_ms
    )
    response = HttpResponse(body, content_type="text/vtt; charset=utf-8")
    name = f"report-{transcript.report_id}-{transcript.language}.vtt"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
