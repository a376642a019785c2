"""Recordings are kept once, by content, and references cannot escape the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.persistence.audio_store import LocalAudioStore


def test_the_same_recording_sent_twice_is_kept_once(tmp_path: Path):
    store = LocalAudioStore(tmp_path / "audio")
    first = tmp_path / "a.ogg"
    first.write_bytes(b"OggS" + bytes(100))
    again = tmp_path / "copy.OGG"
    again.write_bytes(first.read_bytes())
    assert store.put(first) == store.put(again)
    assert len(list((tmp_path / "audio").iterdir())) == 1
    assert store.path(store.put(first)).read_bytes() == first.read_bytes()


def test_different_recordings_get_different_references(tmp_path: Path):
    store = LocalAudioStore(tmp_path / "audio")
    one, two = tmp_path / "1.ogg", tmp_path / "2.ogg"
    one.write_bytes(b"one")
    two.write_bytes(b"two")
    assert store.put(one) != store.put(two)


@pytest.mark.parametrize("ref", ["../etc/passwd", "/abs/path", ".hidden"])
def test_a_reference_that_points_outside_the_store_is_refused(tmp_path: Path, ref: str):
    with pytest.raises(ValueError, match="not an audio reference"):
        LocalAudioStore(tmp_path).path(ref)
