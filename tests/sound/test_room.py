"""The room: its impulse response and the in-place convolution that adds it."""

from __future__ import annotations

import dataclasses

import numpy as np
from scipy.signal import fftconvolve

from thereturn_viz.sound.composition import SEEDS
from thereturn_viz.sound.room import REVERB_BATCH, REVERB_FFT, impulse_response, reverb_into

RATE = 8000


def test_each_ear_hears_its_own_room_of_unit_energy() -> None:
    left, right = impulse_response(RATE)
    assert abs(np.sum(left * left) - 1.0) < 1e-12 and abs(np.sum(right * right) - 1.0) < 1e-12
    assert not np.array_equal(left, right)
    # the first sound is the first reflection, 7 ms (left) and 8 ms (right) after the source
    assert np.flatnonzero(left)[0] == round(0.007 * RATE)
    assert np.flatnonzero(right)[0] == round(0.008 * RATE)
    other = impulse_response(RATE, dataclasses.replace(SEEDS, room=1))
    assert not np.array_equal(left, other[0])


def test_the_reverb_is_the_convolution_over_many_blocks() -> None:
    """Across batches and blocks (each tail carried to the next), in place, it adds exactly
    ``wet`` times the convolution."""
    ir = impulse_response(RATE)[0]
    step = REVERB_FFT - len(ir) + 1
    n = step * (REVERB_BATCH + 1) + 1234  # into a second batch, with a short last block
    x = np.random.default_rng(1).standard_normal(n).astype(np.float32)
    expected = x.astype(np.float64) + 0.3 * fftconvolve(x.astype(np.float64), ir)[:n]
    reverb_into(x, ir, 0.3)
    assert np.abs(x - expected).max() < 1e-4
