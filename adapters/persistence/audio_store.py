"""Recordings kept on local disk, named by their content hash (so a resend is one file)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

_CHUNK = 1 << 20


class LocalAudioStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def put(self, source: Path) -> str:
        digest = hashlib.sha256()
        with source.open("rb") as stream:
            while chunk := stream.read(_CHUNK):
                digest.update(chunk)
        ref = f"sha256-{digest.hexdigest()}{source.suffix.lower()[:8]}"
        target = self.folder / ref
        if not target.exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(".partial")
            shutil.copyfile(source, partial)
            partial.replace(target)
        return ref

    def path(self, ref: str) -> Path:
        if "/" in ref or ref.startswith("."):
            raise ValueError(f"not an audio reference: {ref!r}")
        return self.folder / ref
