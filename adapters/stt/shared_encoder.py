"""Two decodes of one recording share the encoder's work on the windows they have in common.

The transcript's words come from a plain decode and its fillers from a prompted one, over the
same speech clips, and the two run side by side in two threads. The audio encoder's output
does not depend on the prompt, and it is about a third of a window's cost (0.6 s of 1.8 s for a
28 s window here), so it is worked out once per window: faster-whisper's `WhisperModel.encode`
is wrapped with a memo that lives only for one `shared()` block and the threads that join it,
so memory stays bounded and different recordings never mix. A thread that asks for a window
another thread is encoding waits for that result instead of encoding it a second time.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from typing import Any, ParamSpec, TypeVar

import numpy as np

P = ParamSpec("P")
R = TypeVar("R")


class Memo:
    """Encoder outputs of one transcription, each worked out by the first thread to ask."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._outputs: dict[bytes, Future[Any]] = {}

    def output(self, features: np.ndarray, encode: Callable[[np.ndarray], Any]) -> tuple[Any, bool]:
        """The encoder output for `features`, and whether it was already there (or under way)."""
        key = hashlib.blake2b(np.ascontiguousarray(features).tobytes(), digest_size=16).digest()
        with self._lock:
            known = self._outputs.get(key)
            if known is None:
                mine: Future[Any] = Future()
                self._outputs[key] = mine
        if known is not None:
            return known.result(), True
        try:
            mine.set_result(encode(features))
        except BaseException as error:
            mine.set_exception(error)
            raise
        return mine.result(), False


class SharedEncoder:
    """Installs itself as `model.encode`; outside `shared()` it simply encodes."""

    def __init__(self, model: Any) -> None:
        self._encode: Callable[[np.ndarray], Any] = model.encode
        self._local = threading.local()
        self.hits = 0
        model.encode = self._encode_once

    @contextmanager
    def shared(self) -> Iterator[Memo]:
        """A memo for this thread, and for the threads that join it, until the block ends."""
        memo = Memo()
        self._local.memo = memo
        try:
            yield memo
        finally:
            self._local.memo = None

    def joined(self, memo: Memo, work: Callable[P, R]) -> Callable[P, R]:
        """`work` to run in another thread, sharing `memo` with the thread that made it."""

        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            self._local.memo = memo
            try:
                return work(*args, **kwargs)
            finally:
                self._local.memo = None

        return run

    def _encode_once(self, features: np.ndarray) -> Any:
        memo: Memo | None = getattr(self._local, "memo", None)
        if memo is None:
            return self._encode(features)
        output, known = memo.output(features, self._encode)
        if known:
            self.hits += 1
        return output
