"""Recordings kept on local disk, named by their content hash (so a resend is one file)."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

_CHUNK = 1 << 20
# What `put` makes: a digest and the source's suffix. Nothing else is a reference of ours.
_SUFFIX = re.compile(r"\.[a-z0-9]{1,7}")
_REF = re.compile(rf"sha256-[0-9a-f]{{64}}(?:{_SUFFIX.pattern})?")


class LocalAudioStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def put(self, source: Path) -> str:
        digest = hashlib.sha256()
        with source.open("rb") as stream:
            while chunk := stream.read(_CHUNK):
                digest.update(chunk)
        suffix = source.suffix.lower()
        ref = f"sha256-{digest.hexdigest()}{suffix if _SUFFIX.fullmatch(suffix) else ''}"
        target = self.folder / ref
        if not target.exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(".partial")
            shutil.copyfile(source, partial)
            partial.replace(target)
        return ref

    def path(self, ref: str) -> Path:
        if not _REF.fullmatch(ref):
            raise ValueError(f"not an audio reference: {ref!r}")
        return self.folder / ref
