"""The small room the piano plays in: its impulse response per ear, and the convolution that
adds it to the mix in place.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.fft import irfft, rfft
from scipy.signal import butter, sosfilt

from .composition import SEEDS, Seeds
from .instruments import noise

F32 = NDArray[np.float32]
F64 = NDArray[np.float64]
REVERB_SECONDS = 1.2
#: The room's convolution: FFT size, and how many blocks go through one batch of transforms.
REVERB_FFT, REVERB_BATCH = 1 << 18, 4


def impulse_response(rate: int, seeds: Seeds = SEEDS) -> tuple[F64, F64]:
    """A small room's impulse response per ear: a few early reflections and a darkening tail.

    The tail is two bands of noise: the highs die in half the time of the lows, as walls and air
    take the highs first, so the tail darkens smoothly as it fades instead of hissing.

    >>> left, right = impulse_response(8000)
    >>> bool(abs(left[:80]).max() > 10 * abs(left[-800:]).max())
    True
    """
    n = round(REVERB_SECONDS * rate)
    t = np.arange(n) / rate
    rng = noise(seeds, seeds.room)
    low = butter(2, 1200.0, fs=rate, output="sos")
    high = butter(2, [1200.0, min(5000.0, 0.45 * rate)], btype="bandpass", fs=rate, output="sos")
    ears = []
    for ear in range(2):
        hiss = rng.standard_normal(n)
        tail = sosfilt(low, hiss) * np.exp(-6.9 * t / 1.0)
        tail += 0.8 * sosfilt(high, hiss) * np.exp(-6.9 * t / 0.5)
        tail[: round(0.012 * rate)] = 0.0
        for ms, g in ((7.0 + ear, 0.5), (13.0 - ear, 0.35), (19.0 + 2 * ear, 0.25)):
            tail[round(ms / 1000 * rate)] += g * 8.0
        ears.append(tail / np.sqrt(np.sum(tail * tail)))
    return ears[0], ears[1]


def reverb_into(x: F32, ir: F64, wet: float) -> None:
    """``x += wet * (x convolved with ir)``, in place: float64 FFT blocks, overlap-added.

    Every block of ``x`` is read before any of the room's sound is written over it, and the
    tail of each block waits in ``pending`` until its samples have been read.
    """
    n, m = len(x), len(ir)
    size = REVERB_FFT
    step = size - m + 1
    spectrum = rfft(ir, size)
    pending = np.zeros(m - 1)
    for a0 in range(0, n, step * REVERB_BATCH):
        starts = range(a0, min(n, a0 + step * REVERB_BATCH), step)
        blocks = np.zeros((len(starts), size))
        for j, a in enumerate(starts):
            seg = x[a : a + step]
            blocks[j, : len(seg)] = seg
        room = irfft(rfft(blocks, axis=1) * spectrum, size, axis=1)
        for j, a in enumerate(starts):
            y = room[j]
            y[: m - 1] += pending
            hi = min(n, a + step)
            x[a:hi] += wet * y[: hi - a]
            pending = y[step:]
