"""Field recordings made safe: every allowed format comes out bare, everything else is refused,
and no trace of the upload survives either way.

The fixtures are real: espeak-ng speaks a few sentences, ffmpeg turns them into each format a
phone or a browser writes, and mutagen or ffmpeg plants the metadata a phone would (a title,
GPS coordinates, the device's model, a cover picture, chapters).
"""

import array
import base64
import itertools
import json
import random
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from mutagen.flac import FLAC, Picture
from mutagen.id3 import APIC, COMM, ID3, TIT2, TPE1, TXXX
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4, MP4Cover, MP4FreeForm
from mutagen.oggopus import OggOpus
from mutagen.wave import WAVE

from internationale.relay.audio import (
    AudioRefused,
    Disguise,
    SafeAudio,
    make_safe,
    probe,
    synthesize_speech,
)

TITLE = "Secret meeting at the depot"
DEVICE = "Pixel 7"
LATITUDE = "48.8566"
LONGITUDE = "2.3522"
PLANTED = [TITLE, DEVICE, LATITUDE, LONGITUDE]
SECRET = "another member's recording"

SPEECH = (
    "Solidarity forever. The drivers meet on Tuesday at the depot, "
    "and the night shift joins them after eleven."
)


@dataclass(frozen=True)
class Fixtures:
    folder: Path
    speech_ms: int

    def __getitem__(self, name: str) -> Path:
        return self.folder / name


def ffmpeg(*args: str | Path, stdout: int | None = None) -> None:
    subprocess.run(
        ["ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-y", *map(str, args)],
        check=True,
        stdout=stdout,
        stdin=subprocess.DEVNULL,
    )


def ffprobe(path: Path) -> dict:
    completed = subprocess.run(
        [
            *("ffprobe", "-v", "error", "-print_format", "json"),
            *("-show_format", "-show_streams", "-show_chapters", str(path)),
        ],
        check=True,
        capture_output=True,
    )
    return json.loads(completed.stdout)


def seconds_of(path: Path) -> float:
    return float(ffprobe(path)["format"]["duration"])


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory: pytest.TempPathFactory) -> Fixtures:
    folder = tmp_path_factory.mktemp("recordings")
    speech = synthesize_speech(SPEECH, voice="en", path=folder / "speech.wav")
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=32x32:rate=1", "-frames:v", "1", folder / "cover.png")
    cover = (folder / "cover.png").read_bytes()
    coordinates = f"+{LATITUDE}+00{LONGITUDE}/"
    planted_by_ffmpeg = [
        *("-metadata", f"title={TITLE}"),
        *("-metadata", "artist=Organizer"),
        *("-metadata", f"comment=Recorded on {DEVICE} at {LATITUDE},{LONGITUDE}"),
        *("-metadata", f"location={coordinates}"),
        *("-metadata", f"device={DEVICE}"),
    ]
    chapters = folder / "chapters.txt"
    chapters.write_text(
        f";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=1500\ntitle={DEVICE} chapter\n"
    )

    # A browser's MediaRecorder streams WebM, so the container never states its duration.
    with (folder / "speech.webm").open("wb") as webm:
        ffmpeg(
            *("-i", speech, "-i", chapters, "-map", "0:a", "-map_chapters", "1"),
            *planted_by_ffmpeg,
            *("-c:a", "libopus", "-f", "webm", "pipe:1"),
            stdout=webm.fileno(),
        )
    ffmpeg("-i", speech, *planted_by_ffmpeg, "-f", "wav", folder / "speech.wav.upload")
    wave = WAVE(folder / "speech.wav.upload")
    wave.add_tags()
    wave.tags.add(TXXX(encoding=3, desc="DeviceModel", text=[DEVICE]))
    wave.save()

    ffmpeg("-i", speech, "-c:a", "libopus", "-f", "ogg", folder / "speech.ogg")
    ogg = OggOpus(folder / "speech.ogg")
    picture = Picture()
    picture.type, picture.mime, picture.data = 3, "image/png", cover
    ogg.tags.update(
        {
            "TITLE": [TITLE],
            "LOCATION": [coordinates],
            "GPSLATITUDE": [LATITUDE],
            "GPSLONGITUDE": [LONGITUDE],
            "DEVICE": [DEVICE],
            "METADATA_BLOCK_PICTURE": [base64.b64encode(picture.write()).decode()],
        }
    )
    ogg.save()

    ffmpeg("-i", speech, "-c:a", "flac", folder / "speech.flac")
    flac = FLAC(folder / "speech.flac")
    flac.update(
        {"TITLE": TITLE, "LOCATION": coordinates, "GPSLATITUDE": LATITUDE, "DEVICE": DEVICE}
    )
    flac.add_picture(picture)
    flac.save()

    ffmpeg("-i", speech, "-c:a", "libmp3lame", "-b:a", "96k", folder / "speech.mp3")
    id3 = ID3()
    id3.add(TIT2(encoding=3, text=[TITLE]))
    id3.add(TPE1(encoding=3, text=["Organizer"]))
    id3.add(TXXX(encoding=3, desc="GPSLatitude", text=[LATITUDE]))
    id3.add(TXXX(encoding=3, desc="GPSLongitude", text=[LONGITUDE]))
    id3.add(TXXX(encoding=3, desc="DeviceModel", text=[DEVICE]))
    id3.add(COMM(encoding=3, lang="eng", desc="", text=[f"{DEVICE} in the depot's yard"]))
    id3.add(APIC(encoding=3, mime="image/png", type=3, desc="cover", data=cover))
    id3.save(folder / "speech.mp3")

    ffmpeg("-i", speech, "-c:a", "aac", "-b:a", "64k", folder / "speech.m4a")
    m4a = MP4(folder / "speech.m4a")
    m4a.tags.update(
        {
            "©nam": [TITLE],
            "©day": ["2025-05-01"],
            "©too": [f"{DEVICE} Recorder"],
            "©xyz": [coordinates],
            "----:com.apple.iTunes:location": [MP4FreeForm(f"{LATITUDE},{LONGITUDE}".encode())],
            "covr": [MP4Cover(cover, imageformat=MP4Cover.FORMAT_PNG)],
        }
    )
    m4a.save()

    # Raw ADTS has no tags of its own, but players skip an ID3 block written in front.
    ffmpeg("-i", speech, "-c:a", "aac", "-f", "adts", folder / "speech.aac")
    id3.save(folder / "speech.aac")

    ffmpeg(
        "-f", "lavfi", "-i", "sine=frequency=440:duration=3", "-ar", "44100", folder / "tone.wav"
    )

    # A recording the crafted playlists below point at: it must never reach an output.
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=1000:duration=3", folder / "secret.mp3")
    ID3().save(folder / "secret.mp3")
    secret_id3 = ID3(folder / "secret.mp3")
    secret_id3.add(TIT2(encoding=3, text=[SECRET]))
    secret_id3.save()

    return Fixtures(folder=folder, speech_ms=round(seconds_of(speech) * 1000))


def upload(tmp_path: Path, source: Path | bytes, name: str = "upload.bin") -> Path:
    """Where the web layer would have put the upload, under a name its sender chose."""
    uploads = tmp_path / "uploads"
    uploads.mkdir(exist_ok=True)
    raw = uploads / name
    if isinstance(source, bytes):
        raw.write_bytes(source)
    else:
        shutil.copyfile(source, raw)
    return raw


def decodes(path: Path) -> bool:
    completed = subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-xerror", "-i", str(path), "-f", "null", "-"],
        capture_output=True,
        check=False,
    )
    return completed.returncode == 0 and not completed.stderr.strip()


def samples(path: Path) -> array.array:
    """The sound of `path` as 16 kHz mono 16-bit samples."""
    completed = subprocess.run(
        [
            *("ffmpeg", "-nostdin", "-v", "error", "-i", str(path)),
            *("-ac", "1", "-ar", "16000", "-f", "s16le", "-"),
        ],
        capture_output=True,
        check=True,
    )
    return array.array("h", completed.stdout)


def zero_crossings_per_second(path: Path) -> float:
    """The frequency of a pure tone, twice over."""
    sound = samples(path)
    crossings = sum(1 for a, b in itertools.pairwise(sound) if (a < 0) != (b < 0))
    return crossings / (len(sound) / 16000)


def assert_bare(safe: SafeAudio, *, folder: Path, planted: list[str], expected_ms: int) -> None:
    assert sorted(folder.iterdir()) == sorted([safe.ogg, safe.mp3])
    assert (safe.ogg.suffix, safe.mp3.suffix) == (".ogg", ".mp3")
    assert safe.ogg.stem == safe.mp3.stem
    assert len(safe.ogg.stem) == 32

    for path, codec, rate in [(safe.ogg, "opus", "48000"), (safe.mp3, "mp3", "44100")]:
        info = ffprobe(path)
        assert [
            (s["codec_type"], s["codec_name"], s["channels"], s["sample_rate"])
            for s in info["streams"]
        ] == [("audio", codec, 1, rate)]
        assert "tags" not in info["format"]
        assert ["tags" in s for s in info["streams"]] == [False]
        assert info["chapters"] == []
        assert abs(float(info["format"]["duration"]) * 1000 - expected_ms) < 100
        assert decodes(path)
        content = path.read_bytes()
        for text in planted:
            assert text.encode() not in content
            assert text.encode("utf-16-le") not in content
        assert b"\x89PNG" not in content
        # No ffmpeg version. (LAME fills spare bits in MP3 frames with its own version,
        # "LAME3.100"; that names the server's encoder, not the speaker's phone.)
        assert not re.search(rb"Lav[fc]\d", content)

    # What a tag reader sees: an Opus comment block with its vendor field and nothing else,
    # and an MP3 with no ID3 block, first or last.
    opus = OggOpus(safe.ogg)
    assert list(opus.tags.keys()) == []
    assert not any(c.isdigit() for c in opus.tags.vendor)  # "ffmpeg", with no version
    assert MP3(safe.mp3).tags is None
    mp3_bytes = safe.mp3.read_bytes()
    assert not mp3_bytes.startswith(b"ID3")
    assert mp3_bytes[-128:-125] != b"TAG"
    assert 40_000 < MP3(safe.mp3).info.bitrate <= 72_000
    assert abs(safe.duration_ms - expected_ms) < 100


@pytest.mark.parametrize(
    ("name", "format_name", "codec"),
    [
        ("speech.ogg", "ogg", "opus"),
        ("speech.webm", "matroska,webm", "opus"),
        ("speech.mp3", "mp3", "mp3"),
        ("speech.m4a", "mov,mp4,m4a,3gp,3g2,mj2", "aac"),
        ("speech.aac", "aac", "aac"),
        ("speech.wav.upload", "wav", "pcm_s16le"),
        ("speech.flac", "flac", "flac"),
    ],
)
def test_it_keeps_only_the_sound_of_each_allowed_format(
    fixtures: Fixtures, tmp_path: Path, name: str, format_name: str, codec: str
) -> None:
    content = fixtures[name].read_bytes()
    assert [text for text in PLANTED if text.encode() not in content] == []
    raw = upload(tmp_path, fixtures[name])
    found = probe(raw)
    assert (found.format_name, found.codec, found.channels) == (format_name, codec, 1)
    assert found.size_bytes == len(content)
    outputs = tmp_path / "safe"

    safe = make_safe(raw, folder=outputs)

    assert not raw.exists()
    assert_bare(safe, folder=outputs, planted=PLANTED, expected_ms=fixtures.speech_ms)


def test_it_reads_the_contents_not_the_name(fixtures: Fixtures, tmp_path: Path) -> None:
    raw = upload(tmp_path, fixtures["speech.flac"], name="notes.txt")
    safe = make_safe(raw, folder=tmp_path / "safe")
    assert decodes(safe.ogg)

    text = upload(tmp_path, b"Minutes of the meeting\n", name="voice.ogg")
    with pytest.raises(AudioRefused) as refused:
        make_safe(text, folder=tmp_path / "refused")
    assert refused.value.code == "not_audio"


@pytest.mark.parametrize("semitones", [4, -4])
def test_it_disguises_a_voice_keeping_its_length(
    fixtures: Fixtures, tmp_path: Path, semitones: int
) -> None:
    plain = make_safe(upload(tmp_path, fixtures["speech.wav"]), folder=tmp_path / "plain")
    raw = upload(tmp_path, fixtures["speech.wav"])

    disguised = make_safe(raw, folder=tmp_path / "disguised", disguise=Disguise(semitones))

    assert not raw.exists()
    assert_bare(
        disguised,
        folder=tmp_path / "disguised",
        planted=[],
        expected_ms=fixtures.speech_ms,
    )
    assert abs(disguised.duration_ms - plain.duration_ms) <= 0.02 * plain.duration_ms
    assert samples(disguised.ogg) != samples(plain.ogg)


@pytest.mark.parametrize("semitones", [4, -2.5])
def test_it_shifts_the_pitch_by_the_semitones_asked(
    fixtures: Fixtures, tmp_path: Path, semitones: float
) -> None:
    raw = upload(tmp_path, fixtures["tone.wav"])
    assert abs(zero_crossings_per_second(raw) - 880) < 5

    disguised = make_safe(raw, folder=tmp_path / "safe", disguise=Disguise(semitones))

    for path in [disguised.ogg, disguised.mp3]:
        ratio = zero_crossings_per_second(path) / 880
        assert abs(ratio - 2 ** (semitones / 12)) < 0.01
        assert abs(seconds_of(path) - 3) < 0.06


@pytest.mark.parametrize("semitones", [0, 0.0, 6.5, -7, float("nan"), float("inf")])
def test_it_refuses_a_disguise_that_is_none_or_beyond_recognition(semitones: float) -> None:
    with pytest.raises(ValueError, match="semitones"):
        Disguise(semitones)


def assert_refused(raw: Path, folder: Path, codes: set[str], **options: object) -> AudioRefused:
    with pytest.raises(AudioRefused) as refused:
        make_safe(raw, folder=folder, **options)
    assert refused.value.code in codes
    assert not raw.exists()
    assert not folder.exists() or list(folder.iterdir()) == []
    return refused.value


def test_it_refuses_a_text_file(tmp_path: Path) -> None:
    raw = upload(tmp_path, "Notes from the meeting: bring — flyers.\n".encode() * 40)
    assert_refused(raw, tmp_path / "safe", {"not_audio"})


def test_it_refuses_a_picture(fixtures: Fixtures, tmp_path: Path) -> None:
    raw = upload(tmp_path, fixtures["cover.png"], name="cover.mp3")
    assert_refused(raw, tmp_path / "safe", {"format"})


def test_it_refuses_a_video(tmp_path: Path) -> None:
    silent = upload(tmp_path, b"", name="silent.mp4")
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=64x64:rate=10:duration=2", "-c:v", "mpeg4", silent)
    assert_refused(silent, tmp_path / "safe", {"not_audio"})

    talking = upload(tmp_path, b"", name="talking.webm")
    ffmpeg(
        *("-f", "lavfi", "-i", "testsrc=size=64x64:rate=10:duration=2"),
        *("-f", "lavfi", "-i", "sine=duration=2", "-c:v", "libvpx", "-c:a", "libopus", talking),
    )
    assert_refused(talking, tmp_path / "safe", {"not_audio"})


def test_it_refuses_containers_and_codecs_outside_the_list(
    fixtures: Fixtures, tmp_path: Path
) -> None:
    aiff = upload(tmp_path, b"", name="speech.aiff")
    ffmpeg("-i", fixtures["speech.wav"], aiff)
    assert_refused(aiff, tmp_path / "safe", {"format"})

    mp3_in_mp4 = upload(tmp_path, b"", name="speech.m4a")
    ffmpeg("-i", fixtures["speech.wav"], "-c:a", "libmp3lame", "-f", "mp4", mp3_in_mp4)
    assert_refused(mp3_in_mp4, tmp_path / "safe", {"format"})


def test_it_refuses_a_recording_longer_than_asked(fixtures: Fixtures, tmp_path: Path) -> None:
    raw = upload(tmp_path, fixtures["speech.wav"])
    refused = assert_refused(raw, tmp_path / "safe", {"too_long"}, max_seconds=2)
    assert refused.limit == 2


def test_it_measures_a_recording_whose_container_does_not_say_how_long_it_is(
    fixtures: Fixtures, tmp_path: Path
) -> None:
    within = upload(tmp_path, fixtures["speech.webm"])
    assert probe(within).duration_ms is None
    safe = make_safe(within, folder=tmp_path / "kept", max_seconds=7)
    assert abs(safe.duration_ms - fixtures.speech_ms) < 100

    beyond = upload(tmp_path, fixtures["speech.webm"])
    refused = assert_refused(beyond, tmp_path / "safe", {"too_long"}, max_seconds=2)
    assert refused.limit == 2


def test_it_refuses_more_than_ten_minutes(tmp_path: Path) -> None:
    raw = upload(tmp_path, b"", name="long.wav")
    ffmpeg("-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono", "-t", "601", "-c:a", "pcm_u8", raw)
    refused = assert_refused(raw, tmp_path / "safe", {"too_long"})
    assert refused.limit == 600


def test_it_refuses_a_file_larger_than_asked(fixtures: Fixtures, tmp_path: Path) -> None:
    raw = upload(tmp_path, fixtures["speech.mp3"])
    refused = assert_refused(raw, tmp_path / "safe", {"too_large"}, max_bytes=10_000)
    assert refused.limit == 10_000


def test_it_refuses_an_empty_file(tmp_path: Path) -> None:
    assert_refused(upload(tmp_path, b""), tmp_path / "safe", {"empty"})


def test_it_refuses_a_recording_with_nothing_in_it(tmp_path: Path) -> None:
    raw = upload(tmp_path, b"", name="nothing.wav")
    ffmpeg("-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono", "-t", "0", raw)
    assert_refused(raw, tmp_path / "safe", {"empty"})


@pytest.mark.parametrize(
    "playlist",
    [
        "ffconcat version 1.0\nfile secret.mp3\n",
        "ffconcat version 1.0\nfile '{folder}/secret.mp3'\n",
        "#EXTM3U\n#EXT-X-TARGETDURATION:3\n#EXTINF:3.0,\n{folder}/secret.mp3\n#EXT-X-ENDLIST\n",
        "#EXTM3U\n#EXT-X-TARGETDURATION:3\n#EXTINF:3.0,\nfile:{folder}/secret.mp3\n#EXT-X-ENDLIST\n",
    ],
)
def test_it_refuses_a_playlist_that_points_at_another_file(
    fixtures: Fixtures, tmp_path: Path, playlist: str
) -> None:
    # Beside the secret, so that a relative path would find it.
    raw = fixtures.folder / "playlist.mp3"
    raw.write_text(playlist.format(folder=fixtures.folder))
    assert_refused(raw, tmp_path / "safe", {"format"})
    assert fixtures["secret.mp3"].exists()


DAMAGED = [
    (name, damage)
    for name in ["speech.mp3", "speech.ogg", "speech.m4a", "speech.flac", "speech.webm"]
    for damage in ["first 10%", "first half", "header overwritten"]
]


def damaged(content: bytes, damage: str) -> bytes:
    if damage == "first 10%":
        return content[: len(content) // 10]
    if damage == "first half":
        return content[: len(content) // 2]
    rng = random.Random(1871)
    overwritten = bytearray(content)
    for _ in range(24):
        overwritten[rng.randrange(64)] = rng.randrange(256)
    return bytes(overwritten)


def attempt(raw: Path, folder: Path) -> SafeAudio | AudioRefused:
    try:
        return make_safe(raw, folder=folder)
    except AudioRefused as refused:
        return refused


@pytest.mark.parametrize(("name", "damage"), DAMAGED)
def test_it_leaves_nothing_of_a_damaged_file(
    fixtures: Fixtures, tmp_path: Path, name: str, damage: str
) -> None:
    """A damaged file is refused, or, where ffmpeg can still decode some of it, kept as sound
    that decodes; either way the upload is gone and nothing half-made is left."""
    raw = upload(tmp_path, damaged(fixtures[name].read_bytes(), damage))
    folder = tmp_path / "safe"

    outcome = attempt(raw, folder)

    assert not raw.exists()
    if isinstance(outcome, AudioRefused):
        assert outcome.code in {"unreadable", "format", "not_audio", "empty"}
        assert not folder.exists() or list(folder.iterdir()) == []
    else:
        assert sorted(folder.iterdir()) == sorted([outcome.ogg, outcome.mp3])
        assert decodes(outcome.ogg)
        assert decodes(outcome.mp3)
        assert 0 < outcome.duration_ms <= fixtures.speech_ms + 100
        for path in [outcome.ogg, outcome.mp3]:
            content = path.read_bytes()
            assert not [text for text in PLANTED if text.encode() in content]
    if (name, damage) == ("speech.m4a", "first half"):
        # Without the end of the file, an M4A has no index to its sound.
        assert isinstance(outcome, AudioRefused)
        assert outcome.code == "unreadable"


def test_it_refuses_random_bytes(tmp_path: Path) -> None:
    raw = upload(tmp_path, random.Random(1917).randbytes(64 * 1024))
    assert_refused(raw, tmp_path / "safe", {"unreadable", "format"})


def test_it_probes_what_the_container_says(fixtures: Fixtures) -> None:
    found = probe(fixtures["speech.flac"])
    assert (found.format_name, found.codec, found.channels, found.sample_rate) == (
        "flac",
        "flac",
        1,
        22050,
    )
    assert abs(found.duration_ms - fixtures.speech_ms) <= 1
    assert found.size_bytes == fixtures["speech.flac"].stat().st_size


def test_it_speaks_text_that_looks_like_an_option(tmp_path: Path) -> None:
    path = synthesize_speech(
        f"-w {tmp_path}/other.wav hello", voice="en-us", path=tmp_path / "s.wav", speed=200
    )
    assert path == tmp_path / "s.wav"
    assert seconds_of(path) > 0.5
    assert not (tmp_path / "other.wav").exists()


@pytest.mark.parametrize(
    ("text", "voice", "speed"),
    [("", "en", None), ("hello", "-w/tmp/x", None), ("hello", "en", 5)],
)
def test_it_refuses_to_speak_nonsense(
    tmp_path: Path, text: str, voice: str, speed: int | None
) -> None:
    with pytest.raises(ValueError, match=r"nothing to say|voice name|speed"):
        synthesize_speech(text, voice=voice, path=tmp_path / "s.wav", speed=speed)
    assert not (tmp_path / "s.wav").exists()
