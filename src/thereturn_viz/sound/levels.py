"""Loudness of the score around a time: what the trace reports as ``audio.rms_db``."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

#: The floor reported for digital silence.
SILENCE_DB = -120.0


def rms_db(samples: NDArray[np.int16], rate: int, t: float, window: float = 0.1) -> float:
    """RMS level in dBFS of the ``window`` seconds centred on ``t`` (both channels).

    >>> quiet = np.zeros((48000, 2), np.int16)
    >>> rms_db(quiet, 48000, 0.5)
    -120.0
    >>> full = np.full((48000, 2), 32767, np.int16)
    >>> round(rms_db(full, 48000, 0.5), 2)
    -0.0
    """
    half = max(1, round(window * rate / 2))
    centre = round(t * rate)
    lo, hi = max(0, centre - half), min(len(samples), centre + half)
    if hi <= lo:
        return SILENCE_DB
    chunk = samples[lo:hi].astype(np.float64) / 32768.0
    power = float(np.mean(chunk * chunk))
    if power <= 0.0:
        return SILENCE_DB
    return max(SILENCE_DB, 10.0 * math.log10(power))


def loudness_curve(
    samples: NDArray[np.int16], rate: int, window: float = 0.5
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(centre times, RMS dBFS) over consecutive ``window``-second blocks: loudness over time.

    >>> t, db = loudness_curve(np.zeros((48000, 2), np.int16), 48000, 0.25)
    >>> t.tolist(), db.tolist()
    ([0.125, 0.375, 0.625, 0.875], [-120.0, -120.0, -120.0, -120.0])
    """
    hop = max(1, round(window * rate))
    blocks = len(samples) // hop
    power = np.empty(blocks)
    per = max(1, (1 << 20) // hop)  # blocks a slice: a whole score in float64 would be 300 MB
    for a in range(0, blocks, per):
        b = min(blocks, a + per)
        chunk = samples[a * hop : b * hop].astype(np.float64).reshape(b - a, -1) / 32768.0
        power[a:b] = np.einsum("ij,ij->i", chunk, chunk) / chunk.shape[1]
    db = np.maximum(SILENCE_DB, 10.0 * np.log10(np.maximum(power, 1e-30)))
    times = (np.arange(blocks) + 0.5) * hop / rate
    return times, db


def span_db(samples: NDArray[np.int16], rate: int, start: float, end: float) -> float:
    """RMS level in dBFS of the span ``start .. end`` seconds.

    >>> span_db(np.full((4800, 2), 3277, np.int16), 48000, 0.0, 0.1) > -20.01
    True
    """
    lo, hi = max(0, round(start * rate)), min(len(samples), round(end * rate))
    if hi <= lo:
        return SILENCE_DB
    chunk = samples[lo:hi].astype(np.float64) / 32768.0
    power = float(np.mean(chunk * chunk))
    return SILENCE_DB if power <= 0.0 else max(SILENCE_DB, 10.0 * math.log10(power))
