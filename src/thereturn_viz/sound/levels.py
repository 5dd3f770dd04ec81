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
