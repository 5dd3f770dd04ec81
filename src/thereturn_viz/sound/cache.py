"""The rendered score on disk, so only the first start of a new score pays for synthesis.

The key is a hash of everything that shapes the samples: the composition's events (which carry
the cue sheet and tempo), the sample rate, and the source of the composer and the synthesizer.
The file is a plain 16-bit WAV, which the player's mixer can stream directly.
``$THERETURN_CACHE_DIR`` overrides the user cache folder (tests point it at a temporary one).
"""

from __future__ import annotations

import hashlib
import os
import sys
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from .score import SCORE_VERSION, Score

ENV = "THERETURN_CACHE_DIR"


def cache_dir() -> Path:
    env = os.environ.get(ENV)
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("thereturn-viz"))


def score_key(score: Score, rate: int) -> str:
    """A short hex digest naming this exact score.

    >>> from thereturn_viz.sound.score import Score
    >>> s = Score(10.0, (), (), (), (), (), 9.0)
    >>> score_key(s, 48000) == score_key(s, 48000), score_key(s, 48000) == score_key(s, 44100)
    (True, False)
    """
    h = hashlib.sha256()
    h.update(f"v{SCORE_VERSION} rate={rate}\n".encode())
    h.update(repr(score).encode())
    here = Path(__file__).parent
    for name in ("score.py", "synth.py"):
        h.update((here / name).read_bytes())
    return h.hexdigest()[:20]


def path_for(key: str) -> Path:
    return cache_dir() / f"score-{key}.wav"


def write_wav(path: Path, rate: int, samples: NDArray[np.int16]) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.ascontiguousarray(samples, dtype="<i2").tobytes())


def read_wav(path: Path) -> tuple[int, NDArray[np.int16]]:
    """A 16-bit stereo WAV as (rate, samples), read straight from its data chunk (fast)."""
    with open(path, "rb") as f:
        head = f.read(12)
        if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            raise ValueError(f"{path}: not a WAV file")
        rate = channels = bits = 0
        while True:
            chunk = f.read(8)
            if len(chunk) < 8:
                raise ValueError(f"{path}: no data chunk")
            kind, size = chunk[:4], int.from_bytes(chunk[4:], "little")
            if kind == b"fmt ":
                fmt = f.read(size)
                channels = int.from_bytes(fmt[2:4], "little")
                rate = int.from_bytes(fmt[4:8], "little")
                bits = int.from_bytes(fmt[14:16], "little")
            elif kind == b"data":
                if (channels, bits) != (2, 16):
                    raise ValueError(f"{path}: expected 16-bit stereo")
                samples = np.fromfile(f, dtype="<i2", count=size // 2)
                if len(samples) != size // 2:
                    raise ValueError(f"{path}: truncated")
                return rate, samples.astype(np.int16, copy=False).reshape(-1, 2)
            else:
                f.seek(size + (size & 1), 1)


def load_or_make(key: str, rate: int, make: Callable[[], NDArray[np.int16]]) -> NDArray[np.int16]:
    """The cached samples for ``key``, or ``make()`` them and keep them (if the disk allows)."""
    path = path_for(key)
    if path.is_file():
        try:
            got_rate, samples = read_wav(path)
            if got_rate == rate:
                return samples
        except (OSError, ValueError):
            pass  # a damaged cache file: make it again
    samples = make()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_name(f"{path.name}.{os.getpid()}.part")
        write_wav(part, rate, samples)
        part.replace(path)  # atomic: a reader never sees half a score
    except OSError as exc:
        print(f"score: cannot cache in {path.parent}: {exc.strerror or exc}", file=sys.stderr)
    return samples


def cached_path(key: str) -> Path | None:
    """The WAV file of ``key`` if it is in the cache (what the player's mixer streams)."""
    path = path_for(key)
    return path if path.is_file() else None
