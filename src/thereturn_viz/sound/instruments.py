"""One sound at a time: a struck piano note, a bowed string, a breath, a heartbeat.

Each is a pure function of its own numbers (and of the seeds of its noise), vectorised in numpy
and scipy and deterministic: :mod:`.synthesis` places them in the mix. Piano notes are sums of
decaying complex exponentials (one per partial and string of a unison pair); a partial's
samples are ``A z**n``, computed in blocks as the outer product of block starts and one block of
powers, so each sample costs one complex multiply-add instead of a sine.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.signal import butter, sosfilt

from .composition import BOW_RELEASE_MAX, SEEDS, Seeds, piano_loudness

F64 = NDArray[np.float64]
#: Samples per block of a piano partial's powers.
BLOCK = 512
#: The breath: faint, under the music, yet alone in the room at last_breath it is clearly heard.
BREATH_GAIN = 0.7
#: The longest swell of a bow (seconds): a long note creeps in over nearly half its length.
SWELL_MAX = 8.0


def noise(seeds: Seeds, *stream: int) -> np.random.Generator:
    """The generator of one sound's noise: its own stream under the root of the synthesizer's.

    >>> noise(SEEDS, 60, 500).random() == noise(SEEDS, 60, 500).random()
    True
    >>> noise(SEEDS, 60, 500).random() == noise(SEEDS, 60, 501).random()
    False
    """
    return np.random.default_rng(np.random.SeedSequence([seeds.noise, *stream]))


def midi_hz(pitch: float) -> float:
    """Equal temperament, A4 = 440 Hz.

    >>> midi_hz(69), round(midi_hz(60), 2)
    (440.0, 261.63)
    """
    return float(440.0 * 2.0 ** ((pitch - 69.0) / 12.0))


def pan(pitch: int) -> tuple[float, float]:
    """(left, right) gains of a piano seen from the audience: low notes a little left, high
    ones a little right, at equal power.

    >>> [round(g, 3) for g in pan(60)], pan(24)[0] > pan(24)[1], pan(96)[0] < pan(96)[1]
    ([0.707, 0.707], True, True)
    """
    x = float(np.clip((pitch - 60) / 36.0, -0.6, 0.6))
    angle = (x + 1.0) * np.pi / 4.0
    return float(np.cos(angle)), float(np.sin(angle))


def _decaying_partials(rate: int, n: int, freqs: F64, rates: F64, amps: F64) -> F64:
    """sum_k amps[k] * exp(-rates[k] t) * cos(2 pi freqs[k] t), t = i / rate, for i < n.

    Block ``j`` is ``Re(starts[j] @ base)``: one real matrix product of float64 (BLAS), fast and
    precise enough that a machine's own summation order cannot move a 16-bit sample.
    """
    blocks = -(-n // BLOCK)
    c = (-rates + 2j * np.pi * freqs) / rate  # (K,)
    base = np.exp(np.outer(c, np.arange(BLOCK)))  # (K, BLOCK)
    starts = amps * np.exp(np.outer(np.arange(blocks) * BLOCK, c))  # (blocks, K)
    lhs = np.concatenate([starts.real, -starts.imag], axis=1)
    rhs = np.concatenate([base.real, base.imag], axis=0)
    return np.asarray(np.matmul(lhs, rhs).ravel()[:n])


def piano_tone(pitch: int, vel: float, seconds: float, rate: int, seeds: Seeds = SEEDS) -> F64:
    """One struck piano note, undamped, ``seconds`` long (mono).

    Stiff strings make partial k sit at ``k f0 sqrt(1 + B k^2)``; higher partials die sooner;
    each note is a pair of slightly detuned strings with a fast and a slow decay; the hammer adds
    a short filtered thump whose brightness follows the velocity.

    >>> x = piano_tone(69, 0.6, 1.0, 8000); x.shape, bool(abs(x).max() > 0.05)
    ((8000,), True)
    """
    n = max(1, round(seconds * rate))
    f0 = midi_hz(pitch)
    k = np.arange(1, 1 + max(1, min(16, int(0.45 * rate / f0 / 1.1)))).astype(np.float64)
    b = 0.00012 * 2.0 ** ((pitch - 45) / 14.0)
    freqs = k * f0 * np.sqrt(1.0 + b * k * k)
    brightness = 0.55 - 0.35 * vel
    amps = k**-1.0 * np.exp(-brightness * (k - 1.0)) * np.abs(np.sin(np.pi * k * 0.12)) / 0.37
    slow = (1.0 / (5.0 * 2.0 ** (-(pitch - 60) / 20.0))) * (
        1.0 + 0.18 * (k - 1) + 0.03 * (k - 1) ** 2
    )
    detune = 1.0 + 0.00035 * (1.0 + (pitch % 5) / 5.0)
    pair = slice(0, 8)  # the unison's second string: only its strongest partials matter
    all_freqs = np.concatenate([freqs, freqs[pair] * detune])
    all_rates = np.concatenate([slow * 3.5, slow[pair]])
    all_amps = np.concatenate([amps * 0.55, amps[pair] * 0.45])
    tone = _decaying_partials(rate, n, all_freqs, all_rates, all_amps)
    attack = min(n, max(2, round(0.0015 * rate)))
    tone[:attack] *= np.linspace(0.0, 1.0, attack)
    thump_n = min(n, round(0.03 * rate))
    thump = noise(seeds, pitch, round(vel * 1000)).standard_normal(thump_n)
    cutoff = min(0.45 * rate, 1500.0 + 5000.0 * vel)
    thump = sosfilt(butter(2, cutoff, fs=rate, output="sos"), thump)
    env = np.exp(-np.arange(thump_n) / (0.004 * rate))
    tone[:thump_n] += 0.05 * vel * thump * env
    return tone * piano_loudness(vel)


def _string_table(size: int = 4096, partials: int = 12) -> F64:
    """One period of the bowed wave: partials falling as k**-1.25, peak 1."""
    phase = np.arange(size) / size
    k = np.arange(1, partials + 1)
    table = (np.sin(2 * np.pi * np.outer(phase, k)) * k**-1.25).sum(axis=1)
    return np.asarray(table / np.abs(table).max())


def _frozen(a: F64) -> F64:
    a.flags.writeable = False
    return a


#: The bowed wave, its first sample again at the end (for interpolation), and its steps:
#: constants made once, read-only.
_TABLE = _frozen(_string_table())
_TABLE_WRAPPED = _frozen(np.append(_TABLE, _TABLE[0]))
_TABLE_STEP = _frozen(np.diff(_TABLE_WRAPPED))


def string_tone(
    pitch: int, vel: float, seconds: float, rate: int, voice: int = 0, seeds: Seeds = SEEDS
) -> F64:
    """A bowed note: a slow swell, vibrato that blooms after the attack, a slow release.

    >>> x = string_tone(57, 0.5, 2.0, 8000); x.shape, bool(abs(x[:400]).max() < abs(x).max())
    ((22400,), True)
    """
    return bowed(pitch, seconds, rate, voice, seeds) * vel


def bowed(pitch: int, seconds: float, rate: int, voice: int, seeds: Seeds = SEEDS) -> F64:
    """:func:`string_tone` at velocity 1: the same for every note of that pitch, length, voice."""
    release = min(BOW_RELEASE_MAX, max(0.4, seconds * 0.4))
    n = round((seconds + release) * rate)
    t = np.arange(n) / rate
    swell = min(SWELL_MAX, max(0.3, seconds * 0.45))
    f0 = midi_hz(pitch) * (1.0 + 0.0023 * (1 if voice % 2 else -1))
    rng = noise(seeds, pitch, voice, seeds.bow)
    vib_rate = 4.8 + 0.8 * rng.random()
    vib_phase = 2 * np.pi * rng.random()
    depth = np.full(n, 0.0035 * f0 / rate)
    bloom = min(n, round(1.6 * rate))
    depth[:bloom] *= np.clip((t[:bloom] - 0.4) / 1.2, 0.0, 1.0)
    step = f0 / rate + depth * np.sin(2 * np.pi * vib_rate * t + vib_phase)
    step[0] += rng.random()
    phase = np.cumsum(step)
    phase -= np.floor(phase)
    pos = phase * len(_TABLE)
    i = pos.astype(np.int64)
    wave = _TABLE_WRAPPED[i]
    wave += (pos - i) * _TABLE_STEP[i]
    a = min(n, round(swell * rate))
    wave[:a] *= 0.5 - 0.5 * np.cos(np.pi * t[:a] / swell)
    r = min(n, round(seconds * rate))
    wave[r:] *= 0.5 + 0.5 * np.cos(np.pi * np.clip((t[r:] - seconds) / release, 0.0, 1.0))
    return wave


def breath(rate: int, take: int = 0, seeds: Seeds = SEEDS) -> F64:
    """An inhale and a slower exhale: band-limited noise under a soft envelope (mono).

    >>> x = breath(8000); len(x) / 8000, bool(abs(x[:400]).max() < 0.1 * abs(x).max())
    (2.65, True)
    """
    inhale, gap, exhale = 1.0, 0.15, 1.5
    n = round((inhale + gap + exhale) * rate)
    t = np.arange(n) / rate
    air = noise(seeds, take, seeds.breath).standard_normal(n)
    sos = butter(2, [350.0, min(3200.0, 0.45 * rate)], btype="bandpass", fs=rate, output="sos")
    air = sosfilt(sos, air)
    env = np.where(
        t < inhale,
        np.sin(np.pi * np.clip(t / inhale, 0, 1)) ** 2 * 0.8,
        np.sin(np.pi * np.clip((t - inhale - gap) / exhale, 0, 1)) ** 1.5,
    )
    return np.asarray(air * env * BREATH_GAIN)


def heartbeat(rate: int) -> F64:
    """One lub-dub: two low thumps whose pitch drops, energy in 40-80 Hz (mono).

    >>> x = heartbeat(8000); spec = np.abs(np.fft.rfft(x, 8000)) ** 2
    >>> bool(spec[40:81].sum() > 0.8 * spec.sum())
    True
    """
    n = round(0.75 * rate)
    out = np.zeros(n)
    for start, amp, top in ((0.0, 1.0, 68.0), (0.3, 0.7, 62.0)):
        i0 = round(start * rate)
        m = round(0.42 * rate)
        t = np.arange(m) / rate
        freq = 44.0 + (top - 44.0) * np.exp(-t / 0.05)
        phase = 2 * np.pi * np.cumsum(freq) / rate
        env = (1.0 - np.exp(-t / 0.008)) * np.exp(-t / 0.06)
        out[i0 : i0 + m] += amp * env * np.sin(phase)
    return out
