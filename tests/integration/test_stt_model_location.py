"""Which Whisper model LocalWhisper uses, found on this machine without any download."""

from __future__ import annotations

from pathlib import Path

import huggingface_hub.constants
import pytest

from adapters.stt.local_whisper import LocalWhisper
from adapters.stt.model_location import SpeechModelNotFoundError, packaged_model, resolve_model


def _copy_of_packaged_model(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for file in packaged_model().iterdir():
        (folder / file.name).symlink_to(file)
    return folder


def test_by_default_the_packaged_tiny_en_model_is_used() -> None:
    folder, name = resolve_model(None)
    assert (folder / "model.bin").stat().st_size > 50_000_000
    assert name == "tiny.en"
    assert LocalWhisper().name == "faster-whisper:tiny.en"


def test_the_name_tiny_en_means_the_packaged_model() -> None:
    assert resolve_model("tiny.en") == resolve_model(None)


def test_a_local_model_folder_can_be_given_as_a_path_or_a_string(tmp_path: Path) -> None:
    folder = _copy_of_packaged_model(tmp_path / "my-whisper")
    assert resolve_model(folder) == (folder, "my-whisper")
    assert resolve_model(str(folder)) == (folder, "my-whisper")
    assert LocalWhisper(folder).name == "faster-whisper:my-whisper"


def test_a_folder_without_a_model_is_refused_saying_what_is_missing(tmp_path: Path) -> None:
    with pytest.raises(SpeechModelNotFoundError, match=r"lacks model\.bin, config\.json"):
        LocalWhisper(tmp_path)


def test_a_model_name_missing_from_this_machine_is_refused_not_downloaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path))
    with pytest.raises(SpeechModelNotFoundError, match="never downloads") as refused:
        LocalWhisper("small.en")
    assert "Pass the path of a local folder" in str(refused.value)
    assert not list(tmp_path.iterdir())


def test_a_model_name_already_in_the_local_cache_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "models--Systran--faster-whisper-base.en"
    snapshot = _copy_of_packaged_model(repo / "snapshots" / "0123abcd")
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text("0123abcd")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path))
    assert resolve_model("base.en") == (snapshot, "base.en")
