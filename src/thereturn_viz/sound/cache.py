"""The rendered score on disk, so only the first start of a new score pays for synthesis.

The key is a hash of everything that shapes the samples: the composition's own data (its
events, which carry the cue sheet and tempo, and its seeds), the sample rate, and the version
of the synthesizer (:data:`.composition.SYNTHESIS_VERSION`, bumped by hand). The file is a plain
16-bit WAV, which the player's mixer can stream directly. Beside each one a ``.sha256`` file
holds the digest of its samples: an entry is used only when its samples match it and its length
is the composition's, else it is made again (and a line says so). Only the :data:`KEEP` most
recently used entries are kept.
``$THERETURN_CACHE_DIR`` overrides the user cache folder (tests point it at a temporary one).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import time
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from .composition import SYNTHESIS_VERSION, Composition

ENV = "THERETURN_CACHE_DIR"
#: Entries kept: the score in use and two drafts (a choreographer trying cue sheets goes back
#: and forth between a few); each is about 77 MB, and nothing was ever removed (five sheets
#: took 439 MB).
KEEP = 3
#: A ``.part`` file older than this (seconds) is what a crashed run left behind: removed.
STALE_PART_SECONDS = 600.0


def cache_dir() -> Path:
    env = os.environ.get(ENV)
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("thereturn-viz"))


def score_key(composition: Composition, rate: int, version: int = SYNTHESIS_VERSION) -> str:
    """A short hex digest naming this exact score: the composition, rendered at ``rate`` by the
    synthesizer of ``version``.

    >>> c = Composition(10.0, (), (), (), (), (), 9.0)
    >>> key = score_key(c, 48000)
    >>> key == score_key(Composition(10.0, (), (), (), (), (), 9.0), 48000)
    True
    >>> key in {score_key(c, 44100), score_key(c, 48000, version=0)}
    False
    """
    h = hashlib.sha256()
    h.update(f"synthesis v{version} rate={rate}\n".encode())
    h.update(repr(composition).encode())
    return h.hexdigest()[:20]


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


def digest(samples: NDArray[np.int16]) -> str:
    """The sha256 of the samples as stored (little-endian 16-bit).

    >>> digest(np.zeros((1, 2), np.int16))[:12]
    'df3f619804a9'
    """
    data = np.ascontiguousarray(samples, dtype="<i2")
    return hashlib.sha256(data.data).hexdigest()


def _sum_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def _checked(path: Path, rate: int, frames: int | None) -> NDArray[np.int16] | None:
    """The entry's samples if they are whole and match their checksum, else None (said why
    on stderr when the entry is there but wrong)."""
    if not path.is_file():
        return None
    try:
        got_rate, samples = read_wav(path)
        want = _sum_path(path).read_text().strip()
    except (OSError, ValueError) as exc:
        why = f"unreadable ({exc})"
    else:
        if got_rate != rate:
            why = f"at {got_rate} Hz, not {rate}"
        elif frames is not None and len(samples) != frames:
            why = f"{len(samples)} frames where the composition has {frames}"
        elif digest(samples) != want:
            why = "its samples do not match their checksum"
        else:
            os.utime(path)  # used now: the last to be removed
            return samples
    print(f"score: the cached score {path.name} is {why}: making it again", file=sys.stderr)
    return None


def sweep(folder: Path, now: float | None = None) -> None:
    """Remove the ``.part`` files runs that crashed left behind (older than
    :data:`STALE_PART_SECONDS`; a younger one may be another run's, still being written)."""
    now = time.time() if now is None else now
    for part in folder.glob("score-*.part*"):
        try:
            if now - part.stat().st_mtime > STALE_PART_SECONDS:
                part.unlink()
        except OSError:
            pass  # gone already, or not ours to remove


def prune(folder: Path, keep: int = KEEP) -> None:
    """Keep the ``keep`` most recently used entries (a use touches its file), with their sums."""
    entries: list[tuple[float, Path]] = []
    for path in folder.glob("score-*.wav"):
        try:
            entries.append((path.stat().st_mtime, path))
        except OSError:
            continue
    for _, path in sorted(entries, reverse=True)[keep:]:
        for gone in (path, _sum_path(path)):
            gone.unlink(missing_ok=True)


class ScoreCache:
    """Rendered scores in ``folder`` (the user cache folder unless told), one WAV per key."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = cache_dir() if folder is None else folder

    def path_for(self, key: str) -> Path:
        return self.folder / f"score-{key}.wav"

    def cached_path(self, key: str, rate: int, frames: int | None = None) -> Path | None:
        """The WAV file of ``key`` if it is in the cache and whole (what the player's mixer
        streams: it must not stream random bytes)."""
        path = self.path_for(key)
        return path if _checked(path, rate, frames) is not None else None

    def load_or_make(
        self,
        key: str,
        rate: int,
        make: Callable[[], NDArray[np.int16]],
        frames: int | None = None,
    ) -> NDArray[np.int16]:
        """The cached samples for ``key`` (``frames`` long when given), or ``make()`` them and
        keep them (if the disk allows)."""
        path = self.path_for(key)
        samples = _checked(path, rate, frames)
        if samples is not None:
            return samples
        samples = make()
        part = path.with_name(f"{path.name}.{os.getpid()}.part")
        sums = part.with_name(part.name + ".sha256")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            sweep(path.parent)
            write_wav(part, rate, samples)
            if part.stat().st_size < len(samples) * 4:
                raise OSError(f"{part.name} came out short")
            sums.write_text(digest(samples) + "\n")
            sums.replace(_sum_path(path))
            part.replace(path)  # atomic: a reader never sees half a score
            prune(path.parent)
        except OSError as exc:
            for left in (part, sums):
                # no folder to have left it in, when a file stands where the folder should be
                with contextlib.suppress(OSError):
                    left.unlink(missing_ok=True)
            print(f"score: cannot cache in {path.parent}: {exc.strerror or exc}", file=sys.stderr)
        return samples
