"""WebVTT subtitles, free of Django: timed plain text to a `.vtt` file and back.

`write` makes a file any browser's <track> element reads: the WEBVTT header, then one cue per
segment, numbered from 1, with `HH:MM:SS.mmm` timings. Cue text is plain text: `&`, `<` and
`>` are escaped (so `-->`, which would end a cue, cannot appear), and the text is normalized
by `normalize_text`, because a blank line would end a cue too.

`read` parses WebVTT as the W3C specification describes it, header, cue identifiers, NOTE,
STYLE and REGION blocks, cue settings and `MM:SS.mmm` timings included, and returns plain
text: markup tags (`<i>`, `<v Speaker>`, `<00:01.000>`) are dropped and character
references unescaped. Malformed input raises ValueError naming the line. For any segments
whose text is already normalized, `read(write(segments)) == segments`.
"""

import html
import operator
import re
from collections.abc import Iterable
from typing import Protocol

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_HEADER = re.compile(r"\ufeff?WEBVTT(?:[ \t].*)?")
_TIMESTAMP = re.compile(r"(?:([0-9]{2,}):)?([0-9]{2}):([0-9]{2})\.([0-9]{3})")
_TAG = re.compile(r"<[^>]*>?")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_SKIPPED_BLOCK = re.compile(r"(?:NOTE|STYLE|REGION)(?:[ \t].*)?")


class Cue(Protocol):
    @property
    def start_ms(self) -> int: ...

    @property
    def end_ms(self) -> int: ...

    @property
    def text(self) -> str: ...


def timestamp(ms: int) -> str:
    """`ms` milliseconds as a WebVTT timestamp, `HH:MM:SS.mmm` (more hour digits if needed)."""
    ms = operator.index(ms)
    if ms < 0:
        raise ValueError(f"a timestamp cannot be negative: {ms}")
    seconds, millis = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def normalize_text(text: str) -> str:
    """Cue text as `write` stores it: lines broken only by LF, each stripped of surrounding
    white space, blank lines dropped (a blank line ends a cue), NUL replaced by U+FFFD (as a
    WebVTT parser does)."""
    lines = (line.strip() for line in _LINE_BREAK.split(text.replace("\0", "\ufffd")))
    return "\n".join(line for line in lines if line)


def write(segments: Iterable[tuple[int, int, str] | Cue]) -> str:
    """A WebVTT file with one cue per segment, in the order given. A segment is a tuple
    `(start_ms, end_ms, text)` or has those attributes (like `speech.Segment`). Raises
    ValueError for a negative time or a cue that ends before it starts."""
    blocks = ["WEBVTT\n"]
    for number, segment in enumerate(segments, start=1):
        if isinstance(segment, tuple):
            start_ms, end_ms, text = segment
        else:
            start_ms, end_ms, text = segment.start_ms, segment.end_ms, segment.text
        if start_ms < 0 or end_ms < 0:
            raise ValueError(f"cue {number}: negative time ({start_ms}, {end_ms})")
        if end_ms < start_ms:
            raise ValueError(f"cue {number}: ends ({end_ms}) before it starts ({start_ms})")
        payload = normalize_text(text).translate(_ESCAPES)
        timings = f"{timestamp(start_ms)} --> {timestamp(end_ms)}"
        blocks.append(f"{number}\n{timings}\n{payload}\n" if payload else f"{number}\n{timings}\n")
    return "\n".join(blocks)


def read(text: str) -> list[tuple[int, int, str]]:
    """The cues of a WebVTT file as `(start_ms, end_ms, text)`, text normalized and plain."""
    lines = _LINE_BREAK.split(text)
    if not _HEADER.fullmatch(lines[0]):
        raise ValueError("line 1: a WebVTT file starts with 'WEBVTT'")
    cues = []
    for first, block in _blocks(lines):
        if first == 1:
            # The WEBVTT line and any header lines after it: no cue may start here.
            _refuse_arrows(block[1:], first=2, where="the header (is a blank line missing?)")
            continue
        if _SKIPPED_BLOCK.fullmatch(block[0]) and not any("-->" in line for line in block[:2]):
            _refuse_arrows(block[1:], first=first + 1, where=f"a {block[0].split()[0]} block")
            continue
        timing_at = 0 if "-->" in block[0] else 1
        if timing_at >= len(block) or "-->" not in block[timing_at]:
            raise ValueError(f"line {first + timing_at}: expected cue timings ('start --> end')")
        start_ms, end_ms = _timings(block[timing_at], line_number=first + timing_at)
        payload = block[timing_at + 1 :]
        _refuse_arrows(
            payload, first=first + timing_at + 1, where="cue text (is a blank line missing?)"
        )
        plain = html.unescape(_TAG.sub("", "\n".join(payload)))
        cues.append((start_ms, end_ms, normalize_text(plain)))
    return cues


def _refuse_arrows(lines: list[str], *, first: int, where: str) -> None:
    for number, line in enumerate(lines, start=first):
        if "-->" in line:
            raise ValueError(f"line {number}: '-->' in {where}")


def _blocks(lines: list[str]) -> Iterable[tuple[int, list[str]]]:
    """Runs of non-empty lines, each with the number of its first line."""
    block: list[str] = []
    first = 0
    for number, line in enumerate(lines, start=1):
        if line:
            if not block:
                first = number
            block.append(line)
        elif block:
            yield first, block
            block = []
    if block:
        yield first, block


def _timings(line: str, *, line_number: int) -> tuple[int, int]:
    start, _, rest = line.partition("-->")
    end, *_settings = rest.split(maxsplit=1) or [""]
    start_ms = _parse_timestamp(start.strip(), line_number=line_number)
    end_ms = _parse_timestamp(end, line_number=line_number)
    if end_ms < start_ms:
        raise ValueError(f"line {line_number}: the cue ends before it starts")
    return start_ms, end_ms


def _parse_timestamp(value: str, *, line_number: int) -> int:
    match = _TIMESTAMP.fullmatch(value)
    if not match:
        raise ValueError(f"line {line_number}: {value!r} is not a timestamp ([HH:]MM:SS.mmm)")
    hours, minutes, seconds, millis = (int(group or 0) for group in match.groups())
    if minutes > 59 or seconds > 59:
        raise ValueError(f"line {line_number}: {value!r} has minutes or seconds past 59")
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis
