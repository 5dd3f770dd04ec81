"""One sound at a time: each a pure function of its own numbers and its seeds."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from thereturn_viz.sound.composition import BOW_RELEASE_MAX, SEEDS, piano_loudness
from thereturn_viz.sound.instruments import (
    BREATH_GAIN,
    bowed,
    breath,
    heartbeat,
    midi_hz,
    piano_tone,
    string_tone,
)

RATE = 8000


def test_a_piano_note_is_the_same_every_time_and_its_noise_is_only_the_hammer() -> None:
    """Another root of the noise moves only the hammer's thump (its first 30 ms)."""
    a = piano_tone(60, 0.5, 1.0, RATE)
    assert np.array_equal(a, piano_tone(60, 0.5, 1.0, RATE))
    b = piano_tone(60, 0.5, 1.0, RATE, dataclasses.replace(SEEDS, noise=1))
    thump = round(0.03 * RATE)
    assert not np.array_equal(a[:thump], b[:thump]) and np.array_equal(a[thump:], b[thump:])


def test_a_piano_note_sounds_its_pitch_and_decays() -> None:
    x = piano_tone(69, 0.6, 2.0, RATE)
    spectrum = np.abs(np.fft.rfft(x[: RATE // 2] * np.hanning(RATE // 2)))
    assert np.argmax(spectrum) * 2 == pytest.approx(midi_hz(69), abs=4)  # 2 Hz a bin
    assert np.abs(x[-RATE // 4 :]).max() < 0.5 * np.abs(x[: RATE // 4]).max()


def test_a_harder_touch_is_louder_and_brighter() -> None:
    soft, hard = piano_tone(60, 0.2, 1.0, RATE), piano_tone(60, 0.9, 1.0, RATE)
    # at least as much louder as the loudness curve says (brighter adds partials on top)
    ratio = np.abs(hard).max() / np.abs(soft).max()
    assert ratio >= piano_loudness(0.9) / piano_loudness(0.2)

    def centroid(x: np.ndarray) -> float:
        s = np.abs(np.fft.rfft(x[RATE // 10 : RATE // 2]))
        return float((np.arange(len(s)) * s).sum() / s.sum())

    assert centroid(hard) > centroid(soft)


def test_a_string_is_its_bow_scaled_and_each_bow_its_own() -> None:
    assert np.array_equal(string_tone(57, 0.5, 2.0, RATE), bowed(57, 2.0, RATE, 0) * 0.5)
    assert not np.array_equal(bowed(57, 2.0, RATE, 0), bowed(57, 2.0, RATE, 1))
    other = dataclasses.replace(SEEDS, bow=8)
    assert not np.array_equal(bowed(57, 2.0, RATE, 0), bowed(57, 2.0, RATE, 0, other))


@pytest.mark.parametrize("seconds", [0.5, 3.0, 20.0])
def test_a_bow_releases_within_its_longest_release(seconds: float) -> None:
    x = bowed(57, seconds, RATE, 0)
    assert seconds * RATE < len(x) <= (seconds + BOW_RELEASE_MAX) * RATE + 1
    assert abs(x[-1]) < 1e-3  # faded out, not cut


def test_each_take_of_the_breath_is_its_own_and_the_same_each_time() -> None:
    one = breath(RATE)
    assert np.array_equal(one, breath(RATE, 0)) and not np.array_equal(one, breath(RATE, 1))
    assert not np.array_equal(one, breath(RATE, 0, dataclasses.replace(SEEDS, breath=98)))
    assert np.abs(one).max() < 4 * BREATH_GAIN


def test_the_heartbeat_is_two_thumps() -> None:
    x = heartbeat(RATE)
    env = np.abs(x).reshape(-1, RATE // 100).max(axis=1)  # 10 ms steps
    lub, dub = int(np.argmax(env[:25])), 25 + int(np.argmax(env[25:]))
    assert 0.25 <= (dub - lub) / 100 <= 0.35 and env[dub] < env[lub]
