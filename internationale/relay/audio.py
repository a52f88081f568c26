"""Field recordings made safe before anything keeps them, free of Django.

An organizer's phone writes more than sound into a recording: title, artist, comments, cover
art, chapters, GPS coordinates, the device's model and the recording app's name. `make_safe`
keeps none of it. It checks the upload's size, asks ffprobe what the file is (never the file's
name or the client's content type), refuses anything outside a short list of audio formats,
then decodes only the first audio stream and encodes it afresh, in one ffmpeg run, into

- Opus in Ogg (mono, 32 kb/s, 48 kHz) for playback in the browser, and
- MP3 (mono, 64 kb/s, 44.1 kHz) for podcast apps,

with no metadata, chapters, pictures or version strings carried over. The upload is deleted
whatever happens; when anything fails, nothing the upload produced is left in the output
folder and `AudioRefused` says why with a code the web layer translates.

The outputs are then checked the way an adversary would look at them: both must decode, and
ffprobe must find no tags on the container or the stream. What is left names only our own
encoders, never a version of ffmpeg nor anything of the phone: the vendor field every Ogg
comment block must hold ("ffmpeg" under bitexact), the MP3's Info frame that players need for
its length ("Lavf lame"), and the "LAME3.100" that LAME writes into spare bits of some MP3
frames. The MP3 has no ID3 block at all.

`Disguise` shifts a voice's pitch and formants together. It makes a speaker harder to
recognise by ear, but it is a fixed, invertible transform: whoever knows or guesses the shift
can undo most of it. A speaker who must not be identified by voice should be read out by
someone else, or transcribed and spoken by `synthesize_speech`.

Every subprocess gets an argument list (never a shell), a timeout and no standard input.
"""

import json
import math
import re
import secrets
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_SECONDS = 600
# Encoders pad: a recording of exactly ten minutes comes out a few frames longer as MP3 or
# AAC. Half a second over the limit is still within it.
GRACE_MS = 500
MAX_BYTES = 128 * 1024 * 1024  # ten minutes of 48 kHz 16-bit stereo WAV is 110 MiB

PROBE_TIMEOUT = 30
ENCODE_TIMEOUT = 300
CHECK_TIMEOUT = 120
SPEECH_TIMEOUT = 60

# ffprobe names a demuxer by all its aliases ("mov,mp4,m4a,3gp,3g2,mj2"); any alias counts.
ALLOWED_CODECS: dict[str, frozenset[str]] = {
    "ogg": frozenset({"opus", "vorbis"}),
    "matroska": frozenset({"opus", "vorbis"}),  # what MediaRecorder writes as audio/webm
    "mp3": frozenset({"mp3"}),
    "mov": frozenset({"aac"}),  # M4A and MP4 audio
    "aac": frozenset({"aac"}),  # raw ADTS
    "wav": frozenset({"pcm_u8", "pcm_s16le", "pcm_s24le", "pcm_s32le", "pcm_f32le"}),
    "flac": frozenset({"flac"}),
}

# Only these demuxers may open an upload, in ffprobe and in ffmpeg alike. Without the list,
# ffmpeg's hls and concat demuxers (and a few others) follow paths written inside the file, so
# a crafted playlist could make the encoder read another member's upload, or anything else the
# server can read, into the recording we then publish. `-protocol_whitelist file` alone does
# not stop that (those paths are files too); it stops http, tcp, data: and the like, and the
# `file:` prefix keeps a path from being read as a protocol or an option.
ALLOWED_DEMUXERS = "ogg,matroska,webm,mp3,mov,mp4,m4a,3gp,3g2,mj2,aac,wav,flac"
_SAFE_INPUT = ("-protocol_whitelist", "file", "-format_whitelist", ALLOWED_DEMUXERS)
_NOT_ON_WHITELIST = re.compile(r"Format not on whitelist")

# Applied to each output: nothing but the sound, and no version string from our own build.
_BARE = (
    "-map", "0:a:0", "-vn", "-sn", "-dn",
    "-map_metadata", "-1", "-map_metadata:s", "-1", "-map_chapters", "-1",
    "-fflags", "+bitexact", "-flags:a", "+bitexact",
)  # fmt: skip
_OGG = ("-ac", "1", "-ar", "48000", "-c:a", "libopus", "-b:a", "32k", "-application", "voip")
_MP3 = ("-ac", "1", "-ar", "44100", "-c:a", "libmp3lame", "-b:a", "64k")
_MP3_MUXER = ("-id3v2_version", "0", "-write_id3v1", "0", "-f", "mp3")

MAX_SEMITONES = 6.0
_VOICE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_+-]*")


class AudioRefused(Exception):
    """An upload `make_safe` will not keep. `code` is one of

    - "unreadable": ffprobe or ffmpeg could not read it (damaged, truncated, not media);
    - "not_audio": no audio stream, or a video, an image or a text file;
    - "format": a container or codec outside `ALLOWED_CODECS`;
    - "too_long": longer than `limit` seconds;
    - "too_large": more than `limit` bytes;
    - "empty": nothing to hear (no bytes, or no duration).

    The web layer turns the code and limit into a translated message."""

    def __init__(self, code: str, *, limit: int | None = None) -> None:
        super().__init__(code if limit is None else f"{code} (limit {limit})")
        self.code = code
        self.limit = limit


@dataclass(frozen=True)
class Probe:
    """What ffprobe says of a file's container and first audio stream. `duration_ms` is None
    when the container does not say (a browser's WebM recording often does not)."""

    duration_ms: int | None
    format_name: str
    codec: str
    channels: int
    sample_rate: int
    size_bytes: int

    @property
    def demuxer(self) -> str:
        return self.format_name.split(",")[0]


@dataclass(frozen=True)
class Disguise:
    """Shift pitch and formants together by `semitones` (0 < |semitones| <= 6), keeping the
    duration. See the module's note: this deters recognition by ear, not analysis."""

    semitones: float

    def __post_init__(self) -> None:
        if not math.isfinite(self.semitones) or not 0 < abs(self.semitones) <= MAX_SEMITONES:
            raise ValueError(f"semitones must be non-zero, within ±{MAX_SEMITONES:g}")

    @property
    def filter(self) -> str:
        # Played back faster (asetrate), every frequency rises by the factor, formants too;
        # atempo then stretches it back to the original length without touching pitch.
        # At 48 kHz the rounded rate is exact to 1/48000, and atempo uses that same factor.
        rate = round(48000 * 2 ** (self.semitones / 12))
        return f"aresample=48000,asetrate={rate},aresample=48000,atempo={48000 / rate:.6f}"


@dataclass(frozen=True)
class SafeAudio:
    ogg: Path
    mp3: Path
    duration_ms: int


def probe(path: Path) -> Probe:
    """Read the container and first audio stream of an upload, or raise `AudioRefused`."""
    info = _ffprobe(path, refuse_as="unreadable")
    format_info = info.get("format")
    streams = info.get("streams")
    if not isinstance(format_info, dict) or not isinstance(streams, list):
        raise AudioRefused("unreadable")
    format_name = str(format_info.get("format_name", ""))
    demuxer = format_name.split(",")[0]
    if demuxer not in ALLOWED_CODECS:
        raise AudioRefused("format")
    audio = [s for s in streams if isinstance(s, dict) and s.get("codec_type") == "audio"]
    moving_pictures = [
        s
        for s in streams
        if isinstance(s, dict)
        and s.get("codec_type") == "video"
        and not (s.get("disposition") or {}).get("attached_pic")
    ]
    if not audio or moving_pictures:
        raise AudioRefused("not_audio")
    first = audio[0]
    codec = str(first.get("codec_name", ""))
    if codec not in ALLOWED_CODECS[demuxer]:
        raise AudioRefused("format")
    return Probe(
        duration_ms=_milliseconds(format_info.get("duration") or first.get("duration")),
        format_name=format_name,
        codec=codec,
        channels=_integer(first.get("channels")),
        sample_rate=_integer(first.get("sample_rate")),
        size_bytes=path.stat().st_size,
    )


def make_safe(
    raw: Path,
    *,
    folder: Path,
    max_seconds: int = MAX_SECONDS,
    max_bytes: int = MAX_BYTES,
    disguise: Disguise | None = None,
) -> SafeAudio:
    """Re-encode the upload at `raw` into a fresh Ogg Opus and MP3 inside `folder`, under
    random names, keeping only the sound (disguised if asked). `raw` is always deleted. On
    refusal, `AudioRefused` is raised and nothing new is left in `folder`.

    Anything else means our own toolchain misbehaved, not the upload: `FileNotFoundError`
    when ffmpeg is not installed, `RuntimeError` when it wrote a tag or a stream we did not
    ask for. The upload is deleted and nothing is kept then too."""
    if max_seconds <= 0 or max_bytes <= 0:
        raise ValueError("max_seconds and max_bytes must be positive")
    token = secrets.token_hex(16)
    encoded_ogg = folder / f"{token}.encoded.ogg"
    ogg = folder / f"{token}.ogg"
    mp3 = folder / f"{token}.mp3"
    kept = False
    try:
        size = raw.stat().st_size
        if size == 0:
            raise AudioRefused("empty")
        if size > max_bytes:
            raise AudioRefused("too_large", limit=max_bytes)
        found = _probe_upload(raw)
        if found.duration_ms is not None and found.duration_ms > max_seconds * 1000 + GRACE_MS:
            raise AudioRefused("too_long", limit=max_seconds)
        folder.mkdir(parents=True, exist_ok=True)
        # The container may not state its length, or may lie about it: stop encoding just
        # past the limit and measure what came out.
        cap = ("-t", str(max_seconds + 1))
        sound = ("-af", disguise.filter) if disguise else ()
        encoded = _run(
            [
                "ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-n",
                "-nostats", "-progress", "pipe:1",
                *_SAFE_INPUT, "-f", found.demuxer, "-i", f"file:{raw.resolve()}",
                *_BARE, *sound, *_OGG, *cap, "-f", "ogg", f"file:{encoded_ogg.resolve()}",
                *_BARE, *sound, *_MP3, *cap, *_MP3_MUXER, f"file:{mp3.resolve()}",
            ],
            timeout=ENCODE_TIMEOUT,
            refuse_as="unreadable",
        )  # fmt: skip
        raw.unlink(missing_ok=True)
        if _nothing_encoded(encoded.stdout):
            raise AudioRefused("empty")
        # ffmpeg names its encoder in a stream tag ("encoder=Lavc libopus") that the Ogg
        # muxer writes as a comment even under bitexact. Copying the packets into a new Ogg
        # stream leaves the comment block empty but for its vendor field.
        _run(
            [
                "ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-n",
                "-protocol_whitelist", "file", "-f", "ogg", "-i", f"file:{encoded_ogg.resolve()}",
                *_BARE, "-c", "copy", "-f", "ogg", f"file:{ogg.resolve()}",
            ],
            timeout=CHECK_TIMEOUT,
            refuse_as="unreadable",
        )  # fmt: skip
        encoded_ogg.unlink()
        duration_ms = _check_output(ogg, demuxer="ogg", codec="opus", sample_rate=48000)
        mp3_ms = _check_output(mp3, demuxer="mp3", codec="mp3", sample_rate=44100)
        if duration_ms == 0 or mp3_ms == 0:
            raise AudioRefused("empty")
        if duration_ms > max_seconds * 1000 + GRACE_MS:
            raise AudioRefused("too_long", limit=max_seconds)
        kept = True
        return SafeAudio(ogg=ogg, mp3=mp3, duration_ms=duration_ms)
    finally:
        raw.unlink(missing_ok=True)
        if not kept:
            for path in (encoded_ogg, ogg, mp3):
                path.unlink(missing_ok=True)


def synthesize_speech(text: str, *, voice: str, path: Path, speed: int | None = None) -> Path:
    """Speak `text` with espeak-ng into a WAV file at `path` (a test fixture, the demo's
    recordings, or a stand-in for a speaker who must not be heard). `speed` is in words per
    minute, 80 to 450."""
    if not text.strip():
        raise ValueError("nothing to say")
    if not _VOICE_NAME.fullmatch(voice):
        raise ValueError(f"not an espeak-ng voice name: {voice!r}")
    if speed is not None and not 80 <= speed <= 450:
        raise ValueError("speed must be 80 to 450 words per minute")
    rate = ("-s", str(speed)) if speed is not None else ()
    # The text goes in on stdin, so a text that starts with "-" is never read as an option.
    subprocess.run(
        ["espeak-ng", "-v", voice, *rate, "-w", str(path), "--stdin"],
        input=text.encode(),
        capture_output=True,
        timeout=SPEECH_TIMEOUT,
        check=True,
    )
    return path


def _probe_upload(raw: Path) -> Probe:
    try:
        return probe(raw)
    except AudioRefused as refused:
        # ffprobe knows no demuxer for plain text; say what it is rather than "damaged".
        if refused.code == "unreadable" and _looks_like_text(raw):
            raise AudioRefused("not_audio") from refused
        raise


def _check_output(path: Path, *, demuxer: str, codec: str, sample_rate: int) -> int:
    """Confirm an output decodes, holds one mono stream as asked and no tag at all; return its
    duration in milliseconds (0 when it holds no sound)."""
    _run(
        [
            "ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-xerror",
            "-protocol_whitelist", "file", "-f", demuxer, "-i", f"file:{path.resolve()}",
            "-f", "null", "-",
        ],
        timeout=CHECK_TIMEOUT,
        refuse_as="unreadable",
        quiet=True,
    )  # fmt: skip
    info = _ffprobe(path, refuse_as="unreadable", demuxer=demuxer)
    streams = info.get("streams") or []
    format_info = info.get("format") or {}
    shape = [(s.get("codec_name"), s.get("channels"), s.get("sample_rate")) for s in streams]
    if shape != [(codec, 1, str(sample_rate))]:
        raise RuntimeError(f"{path.name}: unexpected streams {shape}")
    tags = [format_info.get("tags"), *(s.get("tags") for s in streams)]
    if any(tags):
        raise RuntimeError(f"{path.name}: metadata survived re-encoding: {tags}")
    return _milliseconds(format_info.get("duration")) or 0


def _ffprobe(path: Path, *, refuse_as: str, demuxer: str | None = None) -> dict[str, Any]:
    forced = ("-f", demuxer) if demuxer else ()
    completed = _run(
        [
            "ffprobe", "-hide_banner", "-v", "error", *_SAFE_INPUT, *forced,
            "-print_format", "json", "-show_format", "-show_streams",
            f"file:{path.resolve()}",
        ],
        timeout=PROBE_TIMEOUT,
        refuse_as=refuse_as,
    )  # fmt: skip
    try:
        info = json.loads(completed.stdout)
    except ValueError:
        raise AudioRefused(refuse_as) from None
    if not isinstance(info, dict):
        raise AudioRefused(refuse_as)
    return info


def _run(
    command: Sequence[str], *, timeout: int, refuse_as: str, quiet: bool = False
) -> subprocess.CompletedProcess[bytes]:
    """Run ffmpeg or ffprobe; a failure, a timeout, or (when `quiet`) any complaint at all is
    the upload's fault and refuses it."""
    try:
        completed = subprocess.run(
            command, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        raise AudioRefused(refuse_as) from None
    if _NOT_ON_WHITELIST.search(completed.stderr.decode(errors="replace")):
        raise AudioRefused("format")
    if completed.returncode != 0 or (quiet and completed.stderr.strip()):
        raise AudioRefused(refuse_as)
    return completed


def _nothing_encoded(progress: bytes) -> bool:
    """Whether ffmpeg's last progress report (key=value lines) says no sound came out. An
    output without a single packet holds only headers, which nothing can decode."""
    reported = re.findall(rb"^out_time_us=(\S+)$", progress, re.MULTILINE)
    if not reported:
        return False  # a future ffmpeg that reports otherwise: the output checks decide
    try:
        return int(reported[-1]) <= 0
    except ValueError:
        return True  # "N/A": no timestamp was ever written


def _looks_like_text(path: Path) -> bool:
    with path.open("rb") as file:
        head = file.read(4096)
    if not head or b"\x00" in head:
        return False
    try:
        # A multi-byte character may be cut at the end of the sample; drop at most three bytes.
        sample = head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 3:
            return False
        sample = head[: error.start].decode("utf-8")
    return all(c.isprintable() or c in "\t\n\r\f" for c in sample)


def _milliseconds(seconds: object) -> int | None:
    try:
        value = float(str(seconds))
    except ValueError:
        return None
    return round(value * 1000) if math.isfinite(value) and value >= 0 else None


def _integer(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0
