"""Synthesis: piano, strings, breath, heartbeat, a small room and a gentle limiter.

Everything is vectorised numpy/scipy (no per-sample Python loop) and deterministic: noise comes
from seeded generators, events are summed in the fixed order of the score, and the mix gain is a
constant rather than a measurement, so a span rendered alone matches the same span of the whole.

Piano notes are sums of decaying complex exponentials (one per partial and string of a unison
pair); a partial's samples are ``A z**n``, computed in blocks as the outer product of block starts
and one block of powers, so each sample costs one complex multiply-add instead of a sine.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray
from scipy.fft import irfft, rfft
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import butter, firwin, sosfilt, upfirdn

from .score import BOW_RELEASE_MAX, Note, Score, piano_loudness

F64 = NDArray[np.float64]
F32 = NDArray[np.float32]
BLOCK = 512
#: Gain from the synth's internal scale to full scale, calibrated so the music sits near -20 dBFS.
MASTER_GAIN = 0.23
CEILING = 10 ** (-1.0 / 20)  # the limiter keeps peaks under -1 dBFS
REVERB_SECONDS = 1.2
PIANO_MAX_SECONDS = 12.0
DAMPER_SECONDS = 0.09
DAMPER_TAIL = 8.0  # time constants the dampers take before a note is cut (-70 dB)
VELOCITY_LEVELS = 10
#: Strings are made at a third of the rate (they are low-passed far below its Nyquist).
STRINGS_DOWN = 3
LIMIT_BLOCK = 64
HEART_GAIN = 0.4
#: The breath: faint, under the music, yet alone in the room at last_breath it is clearly heard.
BREATH_GAIN = 0.7
#: How much of the heartbeat reaches the room (more than of its dry sound: a body's low thump
#: fills a small room), and how loud the room is against the dry sound.
HEART_SEND, REVERB_WET = 0.7, 0.3
#: The room's convolution: FFT size, and how many blocks go through one batch of transforms.
REVERB_FFT, REVERB_BATCH = 1 << 18, 4
#: Samples per slice in passes over the whole mix (limiter peaks, upsampling, 16-bit output).
CHUNK = 1 << 20


def midi_hz(pitch: float) -> float:
    """Equal temperament, A4 = 440 Hz.

    >>> midi_hz(69), round(midi_hz(60), 2)
    (440.0, 261.63)
    """
    return float(440.0 * 2.0 ** ((pitch - 69.0) / 12.0))


def _pan(pitch: int) -> tuple[float, float]:
    """A piano seen from the audience: low notes a little left, high ones a little right."""
    x = float(np.clip((pitch - 60) / 36.0, -0.6, 0.6))
    angle = (x + 1.0) * np.pi / 4.0
    return float(np.cos(angle)), float(np.sin(angle))


def _seed(*parts: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([20_260_514, *parts]))


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


def piano_tone(pitch: int, vel: float, seconds: float, rate: int) -> F64:
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
    noise = _seed(pitch, round(vel * 1000)).standard_normal(thump_n)
    cutoff = min(0.45 * rate, 1500.0 + 5000.0 * vel)
    noise = sosfilt(butter(2, cutoff, fs=rate, output="sos"), noise)
    env = np.exp(-np.arange(thump_n) / (0.004 * rate))
    tone[:thump_n] += 0.05 * vel * noise * env
    return tone * piano_loudness(vel)


def _string_table(size: int = 4096, partials: int = 12) -> F64:
    phase = np.arange(size) / size
    k = np.arange(1, partials + 1)
    table = (np.sin(2 * np.pi * np.outer(phase, k)) * k**-1.25).sum(axis=1)
    return np.asarray(table / np.abs(table).max())


_TABLE = _string_table()
_TABLE_WRAPPED = np.append(_TABLE, _TABLE[0])
_TABLE_STEP = np.diff(_TABLE_WRAPPED)
#: The longest swell of a bow (seconds): a long note creeps in over nearly half its length.
SWELL_MAX = 8.0
#: Image rejection for the strings' 3x upsampling: flat to 7 kHz, -65 dB from 9.5 kHz.
_UPSAMPLE_TAPS = 49


def string_tone(pitch: int, vel: float, seconds: float, rate: int, voice: int = 0) -> F64:
    """A bowed note: a slow swell, vibrato that blooms after the attack, a slow release.

    >>> x = string_tone(57, 0.5, 2.0, 8000); x.shape, bool(abs(x[:400]).max() < abs(x).max())
    ((22400,), True)
    """
    return _bowed(pitch, seconds, rate, voice) * vel


def _bowed(pitch: int, seconds: float, rate: int, voice: int) -> F64:
    """:func:`string_tone` at velocity 1: the same for every note of that pitch, length, voice."""
    release = min(BOW_RELEASE_MAX, max(0.4, seconds * 0.4))
    n = round((seconds + release) * rate)
    t = np.arange(n) / rate
    swell = min(SWELL_MAX, max(0.3, seconds * 0.45))
    f0 = midi_hz(pitch) * (1.0 + 0.0023 * (1 if voice % 2 else -1))
    rng = _seed(pitch, voice, 7)
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


def breath(rate: int, seed: int = 0) -> F64:
    """An inhale and a slower exhale: band-limited noise under a soft envelope (mono).

    >>> x = breath(8000); len(x) / 8000, bool(abs(x[:400]).max() < 0.1 * abs(x).max())
    (2.65, True)
    """
    inhale, gap, exhale = 1.0, 0.15, 1.5
    n = round((inhale + gap + exhale) * rate)
    t = np.arange(n) / rate
    noise = _seed(seed, 99).standard_normal(n)
    sos = butter(2, [350.0, min(3200.0, 0.45 * rate)], btype="bandpass", fs=rate, output="sos")
    noise = sosfilt(sos, noise)
    env = np.where(
        t < inhale,
        np.sin(np.pi * np.clip(t / inhale, 0, 1)) ** 2 * 0.8,
        np.sin(np.pi * np.clip((t - inhale - gap) / exhale, 0, 1)) ** 1.5,
    )
    return np.asarray(noise * env * BREATH_GAIN)


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


def _pedal_release(note: Note, pedal: tuple[tuple[float, float], ...]) -> float:
    """When the dampers fall on ``note``: key up, or later if the pedal is down then."""
    up = note.t + note.dur
    for down, lift in pedal:
        if down <= up < lift:
            return lift
    return up


def _room(rate: int) -> tuple[F64, F64]:
    """A small room's impulse response per ear: a few early reflections and a darkening tail.

    The tail is two bands of noise: the highs die in half the time of the lows, as walls and air
    take the highs first, so the tail darkens smoothly as it fades instead of hissing.

    >>> left, right = _room(8000); bool(abs(left[:80]).max() > 10 * abs(left[-800:]).max())
    True
    """
    n = round(REVERB_SECONDS * rate)
    t = np.arange(n) / rate
    rng = _seed(4242)
    low = butter(2, 1200.0, fs=rate, output="sos")
    high = butter(2, [1200.0, min(5000.0, 0.45 * rate)], btype="bandpass", fs=rate, output="sos")
    ears = []
    for ear in range(2):
        noise = rng.standard_normal(n)
        tail = sosfilt(low, noise) * np.exp(-6.9 * t / 1.0)
        tail += 0.8 * sosfilt(high, noise) * np.exp(-6.9 * t / 0.5)
        tail[: round(0.012 * rate)] = 0.0
        for ms, g in ((7.0 + ear, 0.5), (13.0 - ear, 0.35), (19.0 + 2 * ear, 0.25)):
            tail[round(ms / 1000 * rate)] += g * 8.0
        ears.append(tail / np.sqrt(np.sum(tail * tail)))
    return ears[0], ears[1]


def _limit(x: F32) -> None:
    """Gentle peak limiter, in place: gain never above what keeps the peak under the ceiling,
    smoothed, and applied only around the blocks that need it. ``x`` is (ear, sample).
    """
    n = x.shape[1]
    blocks = -(-n // LIMIT_BLOCK)
    peak = np.empty(blocks)
    per = CHUNK // LIMIT_BLOCK
    for a in range(0, blocks, per):
        b = min(blocks, a + per)
        seg = np.abs(x[:, a * LIMIT_BLOCK : b * LIMIT_BLOCK])
        if seg.shape[1] < (b - a) * LIMIT_BLOCK:  # the last block is short
            seg = np.pad(seg, ((0, 0), (0, (b - a) * LIMIT_BLOCK - seg.shape[1])))
        peak[a:b] = seg.reshape(2, b - a, LIMIT_BLOCK).max(axis=(0, 2))
    need = np.minimum(1.0, CEILING / np.maximum(peak, 1e-12))
    if need.min() >= 1.0:
        return
    width = 5  # blocks: about 7 ms of smoothing either side
    gain = np.minimum(uniform_filter1d(minimum_filter1d(need, 2 * width + 3), width), need)
    centres = (np.arange(blocks) + 0.5) * LIMIT_BLOCK
    low = np.flatnonzero(gain < 1.0)
    # each run of blocks under 1, from the centre of the block before it to that of the one after
    for run in np.split(low, np.flatnonzero(np.diff(low) > 1) + 1):
        lo = 0 if run[0] == 0 else int(centres[run[0] - 1])
        hi = n if run[-1] >= blocks - 1 else min(n, int(centres[run[-1] + 1]) + 1)
        x[:, lo:hi] *= np.interp(np.arange(lo, hi), centres, gain)


def _gate(x: F32, rate: int, score: Score) -> None:
    """Silence the silences and all after the end, with short fades, in place (both ears).

    Times are relative to the first sample, and may fall outside ``0 .. n``.
    """
    n = x.shape[1]
    fade = round(0.08 * rate)
    tail = round(2.0 * rate)

    def ramp(lo: int, hi: int, values: F64) -> None:
        a, b = max(lo, 0), min(hi, n)
        if b > a:
            x[:, a:b] *= values[a - lo : b - lo]

    for a, b in score.silences:
        ia, ib = round(a * rate), round(b * rate)
        ramp(ia - fade, ia, np.linspace(1.0, 0.0, fade))
        x[:, max(ia, 0) : max(min(ib, n), 0)] = 0.0
    end = round(score.music_end * rate)
    ramp(end, end + tail, 0.5 + 0.5 * np.cos(np.pi * np.arange(tail) / tail))
    x[:, max(end + tail, 0) :] = 0.0


class _Bus:
    """A stereo bus of float32, where many notes are summed, each panned through a scratch row.

    float32 is ample for a 16-bit result, and its sums and products are exact IEEE operations,
    the same on every machine; what needs more precision (partials, filters, the room) is made
    in float64 and added here.
    """

    def __init__(self, n: int) -> None:
        self.x = np.zeros((2, n), np.float32)
        self._scratch = np.empty(0, np.float32)

    def add(self, i0: int, mono: NDArray[np.floating], gl: float, gr: float) -> None:
        """Add ``mono`` at sample ``i0``, panned; what falls outside the bus is dropped."""
        lo, hi = max(0, i0), min(self.x.shape[1], i0 + len(mono))
        if hi <= lo:
            return
        if len(self._scratch) < hi - lo:
            self._scratch = np.empty(hi - lo, np.float32)
        tmp = self._scratch[: hi - lo]
        part = mono[lo - i0 : hi - i0]
        for ear, gain in enumerate((gl, gr)):
            np.multiply(part, gain, out=tmp)
            self.x[ear, lo:hi] += tmp


def _piano(
    bus: _Bus, notes: list[Note], score: Score, t0: float, rate: int, tick: Callable[[], None]
) -> None:
    """The piano notes, one tone per pitch and velocity level made once and then dropped.

    A note is the tone of its level, scaled to its own loudness, cut when the dampers fall.
    """
    fall = np.exp(-np.arange(round(DAMPER_SECONDS * DAMPER_TAIL * rate)) / (DAMPER_SECONDS * rate))
    fall32 = fall.astype(np.float32)
    work = np.empty(0, np.float32)

    def key(note: Note) -> tuple[int, int]:
        return note.pitch, _level(note.vel)

    for (pitch, level), same in itertools.groupby(sorted(notes, key=key), key=key):
        group = list(same)  # in the order of the score: sorted() is stable
        held = [min(PIANO_MAX_SECONDS, _pedal_release(x, score.pedal) - x.t) for x in group]
        seconds = max(held) + DAMPER_TAIL * DAMPER_SECONDS
        tone = piano_tone(pitch, level / VELOCITY_LEVELS, seconds, rate).astype(np.float32)
        if len(work) < len(tone):
            work = np.empty(len(tone), np.float32)
        gl, gr = _pan(pitch)
        for note, h in zip(group, held, strict=True):
            stop = round(h * rate)
            m = min(len(tone), stop + len(fall32))
            cut = _next_silence(score, note.t)  # what rings into a silence stays in it
            if (cut - note.t) < m / rate:
                m = max(0, round((cut - note.t) * rate))
            mono = work[:m]
            # the timbre comes from the nearest velocity level; the loudness is the note's own
            np.multiply(
                tone[:m], piano_loudness(note.vel) / piano_loudness(level / VELOCITY_LEVELS), mono
            )
            if m > stop:
                mono[stop:] *= fall32[: m - stop]
            bus.add(round((note.t - t0) * rate), mono, gl, gr)
            tick()


def _strings(
    bus: _Bus, notes: list[Note], score: Score, t0: float, rate: int, tick: Callable[[], None]
) -> None:
    """The strings: made at a third of the rate, two bows a note, warmed, then upsampled.

    A bowed note's shape depends only on its pitch, length and bow, so it is made once for all
    the notes that share them; each bow has its own place in the stereo picture.
    """
    srate = rate // STRINGS_DOWN
    ns = -(-bus.x.shape[1] // STRINGS_DOWN)
    bows = np.zeros((2, ns), np.float32)

    def key(note: Note) -> tuple[int, float]:
        return note.pitch, note.dur

    for (pitch, dur), same in itertools.groupby(sorted(notes, key=key), key=key):
        group = list(same)
        for voice in (0, 1):
            shape = _bowed(pitch, dur, srate, voice)
            for note in group:
                mono = _upto(shape, _next_silence(score, note.t) - note.t, srate)
                j0 = round((note.t - t0) * srate)
                lo, hi = max(0, j0), min(ns, j0 + len(mono))
                if hi > lo:
                    bows[voice, lo:hi] += mono[lo - j0 : hi - j0] * (note.vel * 0.5)
        for _ in group:
            tick()
    warm = butter(2, 2200.0, fs=srate, output="sos")
    # a windowed-sinc interpolator: linear interpolation would leave images near 16 kHz
    h = STRINGS_DOWN * firwin(_UPSAMPLE_TAPS, 7000.0, fs=rate, window=("kaiser", 6.0))
    for voice, side in ((0, -0.35), (1, 0.35)):
        _upsample_into(bus.x, bows[voice], warm, h, (0.7 - 0.3 * side, 0.7 + 0.3 * side))


def _upsample_into(out: F32, x: F32, sos: F64, h: F64, gains: tuple[float, float]) -> None:
    """``out[ear] += gains[ear] * (x filtered by sos, upsampled STRINGS_DOWN times through h)``.

    Done in slices (the filter's state carried from one to the next, the interpolator's tails
    overlap-added), so no whole-length copy is made. The interpolator's delay is taken off:
    ``x[j]`` lands on ``out[:, STRINGS_DOWN * j]``.
    """
    n = out.shape[1]
    delay = (len(h) - 1) // 2
    state = np.zeros((sos.shape[0], 2))
    for a in range(0, len(x), CHUNK):
        seg = x[a : a + CHUNK].astype(np.float64)
        if not seg.any() and not state.any():  # silence in, silence out
            continue
        seg, state = sosfilt(sos, seg, zi=state)
        y = upfirdn(h, seg, up=STRINGS_DOWN)
        first = a * STRINGS_DOWN - delay  # where y[0] lands
        lo, hi = max(0, first), min(n, first + len(y))
        for ear, gain in enumerate(gains):
            out[ear, lo:hi] += gain * y[lo - first : hi - first]


def _reverb_into(x: F32, ir: F64, wet: float) -> None:
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


def _add_beats(x: F32, starts: list[int], lubdub: F64, gain: float) -> None:
    """Add ``gain * lubdub`` to both ears at each start (samples; may fall outside the bus)."""
    n = x.shape[1]
    for i0 in starts:
        lo, hi = max(0, i0), min(n, i0 + len(lubdub))
        if hi > lo:
            x[:, lo:hi] += gain * lubdub[lo - i0 : hi - i0]


def _int16(x: F32, lo: int, hi: int) -> NDArray[np.int16]:
    """Samples ``lo .. hi`` of the (ear, sample) mix as interleaved 16-bit stereo."""
    out = np.empty((max(0, hi - lo), 2), np.int16)
    for a in range(lo, hi, CHUNK):
        b = min(hi, a + CHUNK)
        seg = x[:, a:b] * 32767.0
        np.round(seg, out=seg)
        np.clip(seg, -32767, 32767, out=seg)
        out[a - lo : b - lo] = seg.T
    return out


def synthesize(
    score: Score,
    rate: int,
    start: float = 0.0,
    end: float | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> NDArray[np.int16]:
    """The score from ``start`` to ``end`` (default: all of it) as int16 stereo.

    A span is rendered with enough of what came before it (notes ringing, the room's tail) to
    match the same span of the whole render; the whole is the span ``0 .. duration``.
    """
    end = score.duration if end is None else end
    pre = 0.0 if start <= 0 else min(start, PIANO_MAX_SECONDS + REVERB_SECONDS)
    t0 = start - pre
    post = max(0.0, min(0.05, score.duration - end))  # the limiter looks a little ahead
    keep = round((end - t0) * rate)
    n = round((end + post - t0) * rate)
    notes = [x for x in score.notes if x.t < end and x.t + x.dur + PIANO_MAX_SECONDS > t0]
    total = len(notes) + 4
    done = 0

    def tick(k: int = 1) -> None:
        nonlocal done
        done += k
        if progress is not None:
            progress(done, total)

    bus = _Bus(n)
    _piano(bus, [x for x in notes if x.voice == "piano"], score, t0, rate, tick)
    _strings(bus, [x for x in notes if x.voice != "piano"], score, t0, rate, tick)
    for b in score.breaths:
        bus.add(round((b - t0) * rate), breath(rate), 0.55, 0.55)
    mix = bus.x
    lubdub = heartbeat(rate)
    beats = [round((hb - t0) * rate) for hb in score.heartbeats]
    _add_beats(mix, beats, lubdub, HEART_SEND)  # what of the heartbeat the room hears
    for ear, ir in enumerate(_room(rate)):
        _reverb_into(mix[ear], ir, REVERB_WET)
    _add_beats(mix, beats, lubdub, HEART_GAIN - HEART_SEND)  # the dry heartbeat: HEART_GAIN
    tick(2)
    mix *= MASTER_GAIN
    _gate(mix, rate, _shifted(score, t0))
    _limit(mix)
    tick(2)
    return _int16(mix, round(pre * rate), keep)


def _upto(mono: F64, seconds: float, rate: int) -> F64:
    """The first ``seconds`` of ``mono`` (all of it for an infinite span)."""
    if seconds >= len(mono) / rate:
        return mono
    return mono[: max(0, round(seconds * rate))]


def _next_silence(score: Score, t: float) -> float:
    """The start of the first silence after ``t`` (infinity when none comes)."""
    return min((a for a, _ in score.silences if a > t), default=float("inf"))


def _shifted(score: Score, t0: float) -> Score:
    return Score(
        duration=score.duration - t0,
        notes=(),
        pedal=(),
        heartbeats=(),
        breaths=(),
        silences=tuple((a - t0, b - t0) for a, b in score.silences),
        music_end=score.music_end - t0,
    )


def _level(vel: float) -> int:
    return max(1, round(vel * VELOCITY_LEVELS))


def stderr_progress() -> Callable[[int, int], None]:
    """A tqdm bar on stderr (silent when stderr is not a terminal)."""
    from tqdm import tqdm

    bar: list[tqdm] = []

    def update(done: int, total: int) -> None:
        if not bar:
            bar.append(tqdm(total=total, desc="score", unit="ev", file=sys.stderr, disable=None))
        bar[0].n = done
        bar[0].refresh()
        if done >= total:
            bar[0].close()

    return update
