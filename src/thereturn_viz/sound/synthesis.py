"""Synthesis: a composition made sound, the whole score or any span of it, as 16-bit stereo.

The notes of each voice are placed on a float32 bus (:mod:`.instruments` makes each sound),
the heartbeat and the room (:mod:`.room`) are added, then the gate, a gentle limiter and the
16-bit rounding. Everything is vectorised numpy/scipy (no per-sample Python loop) and
deterministic: noise comes from the composition's seeds, events are summed in the fixed order
of the composition, and the mix gain is a constant rather than a measurement, so a span
rendered alone matches the same span of the whole.

A change here that moves a sample wants :data:`.composition.SYNTHESIS_VERSION` bumped.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import butter, firwin, sosfilt, upfirdn

from .composition import Composition, Note, pedal_release, piano_loudness
from .instruments import bowed, breath, heartbeat, pan, piano_tone
from .room import REVERB_SECONDS, impulse_response, reverb_into

F64 = NDArray[np.float64]
F32 = NDArray[np.float32]
#: Gain from the synth's internal scale to full scale, calibrated so the music sits near -20 dBFS.
MASTER_GAIN = 0.23
CEILING = 10 ** (-1.0 / 20)  # the limiter keeps peaks under -1 dBFS
PIANO_MAX_SECONDS = 12.0
DAMPER_SECONDS = 0.09
DAMPER_TAIL = 8.0  # time constants the dampers take before a note is cut (-70 dB)
VELOCITY_LEVELS = 10
#: Strings are made at a third of the rate (they are low-passed far below its Nyquist).
STRINGS_DOWN = 3
#: Image rejection for the strings' 3x upsampling: flat to 7 kHz, -65 dB from 9.5 kHz.
UPSAMPLE_TAPS = 49
LIMIT_BLOCK = 64
HEART_GAIN = 0.4
#: How much of the heartbeat reaches the room (more than of its dry sound: a body's low thump
#: fills a small room), and how loud the room is against the dry sound.
HEART_SEND, REVERB_WET = 0.7, 0.3
#: Samples per slice in passes over the whole mix (limiter peaks, upsampling, 16-bit output).
CHUNK = 1 << 20


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


def _gate(x: F32, rate: int, composition: Composition) -> None:
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

    for a, b in composition.silences:
        ia, ib = round(a * rate), round(b * rate)
        ramp(ia - fade, ia, np.linspace(1.0, 0.0, fade))
        x[:, max(ia, 0) : max(min(ib, n), 0)] = 0.0
    end = round(composition.music_end * rate)
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
    bus: _Bus,
    notes: list[Note],
    composition: Composition,
    t0: float,
    rate: int,
    tick: Callable[[], None],
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
        group = list(same)  # in the order of the composition: sorted() is stable
        held = [min(PIANO_MAX_SECONDS, pedal_release(x, composition.pedal) - x.t) for x in group]
        seconds = max(held) + DAMPER_TAIL * DAMPER_SECONDS
        tone = piano_tone(pitch, level / VELOCITY_LEVELS, seconds, rate, composition.seeds).astype(
            np.float32
        )
        if len(work) < len(tone):
            work = np.empty(len(tone), np.float32)
        gl, gr = pan(pitch)
        for note, h in zip(group, held, strict=True):
            stop = round(h * rate)
            m = min(len(tone), stop + len(fall32))
            cut = _next_silence(composition, note.t)  # what rings into a silence stays in it
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
    bus: _Bus,
    notes: list[Note],
    composition: Composition,
    t0: float,
    rate: int,
    tick: Callable[[], None],
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
            shape = bowed(pitch, dur, srate, voice, composition.seeds)
            for note in group:
                mono = _upto(shape, _next_silence(composition, note.t) - note.t, srate)
                j0 = round((note.t - t0) * srate)
                lo, hi = max(0, j0), min(ns, j0 + len(mono))
                if hi > lo:
                    bows[voice, lo:hi] += mono[lo - j0 : hi - j0] * (note.vel * 0.5)
        for _ in group:
            tick()
    warm = butter(2, 2200.0, fs=srate, output="sos")
    # a windowed-sinc interpolator: linear interpolation would leave images near 16 kHz
    h = STRINGS_DOWN * firwin(UPSAMPLE_TAPS, 7000.0, fs=rate, window=("kaiser", 6.0))
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
    composition: Composition,
    rate: int,
    start: float = 0.0,
    end: float | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> NDArray[np.int16]:
    """The composition from ``start`` to ``end`` (default: all of it) as int16 stereo.

    A span is rendered with enough of what came before it (notes ringing, the room's tail) to
    match the same span of the whole render; the whole is the span ``0 .. duration``.
    """
    end = composition.duration if end is None else end
    pre = 0.0 if start <= 0 else min(start, PIANO_MAX_SECONDS + REVERB_SECONDS)
    t0 = start - pre
    post = max(0.0, min(0.05, composition.duration - end))  # the limiter looks a little ahead
    keep = round((end - t0) * rate)
    n = round((end + post - t0) * rate)
    notes = [x for x in composition.notes if x.t < end and x.t + x.dur + PIANO_MAX_SECONDS > t0]
    total = len(notes) + 4
    done = 0

    def tick(k: int = 1) -> None:
        nonlocal done
        done += k
        if progress is not None:
            progress(done, total)

    bus = _Bus(n)
    _piano(bus, [x for x in notes if x.voice == "piano"], composition, t0, rate, tick)
    _strings(bus, [x for x in notes if x.voice != "piano"], composition, t0, rate, tick)
    for b in composition.breaths:
        bus.add(round((b - t0) * rate), breath(rate, seeds=composition.seeds), 0.55, 0.55)
    mix = bus.x
    lubdub = heartbeat(rate)
    beats = [round((hb - t0) * rate) for hb in composition.heartbeats]
    _add_beats(mix, beats, lubdub, HEART_SEND)  # what of the heartbeat the room hears
    for ear, ir in enumerate(impulse_response(rate, composition.seeds)):
        reverb_into(mix[ear], ir, REVERB_WET)
    _add_beats(mix, beats, lubdub, HEART_GAIN - HEART_SEND)  # the dry heartbeat: HEART_GAIN
    tick(2)
    mix *= MASTER_GAIN
    _gate(mix, rate, _shifted(composition, t0))
    _limit(mix)
    tick(2)
    return _int16(mix, round(pre * rate), keep)


def _upto(mono: F64, seconds: float, rate: int) -> F64:
    """The first ``seconds`` of ``mono`` (all of it for an infinite span)."""
    if seconds >= len(mono) / rate:
        return mono
    return mono[: max(0, round(seconds * rate))]


def _next_silence(composition: Composition, t: float) -> float:
    """The start of the first silence after ``t`` (infinity when none comes)."""
    return min((a for a, _ in composition.silences if a > t), default=float("inf"))


def _shifted(composition: Composition, t0: float) -> Composition:
    """Only the gate's times of ``composition``, taken from ``t0`` on."""
    return Composition(
        duration=composition.duration - t0,
        notes=(),
        pedal=(),
        heartbeats=(),
        breaths=(),
        silences=tuple((a - t0, b - t0) for a, b in composition.silences),
        music_end=composition.music_end - t0,
        seeds=composition.seeds,
    )


def _level(vel: float) -> int:
    return max(1, round(vel * VELOCITY_LEVELS))
