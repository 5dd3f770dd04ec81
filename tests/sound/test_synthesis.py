"""The synthesized score, measured: loudness windows from the cue sheet, onsets, silences."""

from __future__ import annotations

import dataclasses
import hashlib

import numpy as np
import pytest
from numpy.typing import NDArray
from scipy.signal import bilinear_zpk, butter, sosfilt, sosfiltfilt, zpk2sos

from thereturn_viz.show.cues import CueSheet
from thereturn_viz.sound.composition import RATE, SYNTHESIS_VERSION, Composition
from thereturn_viz.sound.levels import span_db
from thereturn_viz.sound.synthesis import synthesize

Rendered = tuple[int, NDArray[np.int16]]


def _frames_db(x: NDArray[np.int16], rate: int, a: float, b: float, hop: float = 0.05):
    """(start times, dBFS) of consecutive ``hop``-second frames of ``a .. b``."""
    n = round(hop * rate)
    seg = x[round(a * rate) : round(b * rate)].astype(np.float64) / 32768.0
    k = len(seg) // n
    power = (seg[: k * n] ** 2).reshape(k, -1).mean(axis=1)
    return a + np.arange(k) * hop, 10 * np.log10(np.maximum(power, 1e-14))


def _onsets(x: NDArray[np.int16], rate: int, a: float, b: float) -> NDArray[np.float64]:
    """Times where the 1.5-6 kHz band (hammers, upper partials) jumps 6 dB from one 50 ms frame
    to the next: how an ear picks a struck note out of the pedal and the strings."""
    sos = butter(4, [1500.0, 6000.0], btype="bandpass", fs=rate, output="sos")
    band = sosfiltfilt(sos, x[round(a * rate) : round(b * rate)].astype(np.float64), axis=0)
    t, db = _frames_db(np.clip(band, -32768, 32767).astype(np.int16), rate, 0.0, b - a)
    rise = np.diff(db) >= 6.0
    return a + t[1:][rise & (db[1:] > -75.0)]


def _a_weighted_db(x: NDArray[np.int16], rate: int, a: float, b: float) -> float:
    """Level of ``a .. b`` in dB(A)FS: weighted as the ear hears (IEC 61672 A curve), so the
    heartbeat's 40-80 Hz counts for what it is to a listener, not for its energy."""
    poles = [12194.217] * 2 + [737.86223, 107.65265] + [20.598997] * 2
    gain = (2 * np.pi * 12194.217) ** 2 * 10 ** (1.9997 / 20)  # 0 dB at 1 kHz
    z, p, k = bilinear_zpk([0.0] * 4, [-2 * np.pi * f for f in poles], gain, rate)
    lead = min(a, 1.0)  # let the filter settle on what came before
    seg = x[round((a - lead) * rate) : round(b * rate)].astype(np.float64).mean(axis=1) / 32768
    weighted = sosfilt(zpk2sos(z, p, k), seg)[round(lead * rate) :]
    return float(10 * np.log10(np.mean(weighted * weighted) + 1e-20))


def _voices(
    composition: Composition, rate: int, a: float, b: float, voice: str
) -> NDArray[np.int16]:
    """Only the notes of one voice (no heartbeat, no breath), rendered for ``a .. b``."""
    alone = [n for n in composition.notes if n.voice == voice]
    only = dataclasses.replace(composition, notes=tuple(alone), heartbeats=(), breaths=())
    return synthesize(only, rate, a, b)


def test_covers_the_piece_in_stereo_at_48k(rendered: Rendered, sheet: CueSheet) -> None:
    rate, x = rendered
    assert rate == 48_000 and x.dtype == np.int16
    assert x.shape == (round(sheet.duration * rate), 2)


def test_silence_until_the_first_note_then_it_falls_on_time(
    rendered: Rendered, sheet: CueSheet
) -> None:
    rate, x = rendered
    first = sheet.time_of("first_note")
    assert span_db(x, rate, 0.0, first - 0.01) < -50.0
    t, db = _frames_db(x, rate, first - 2.0, first + 2.0, hop=0.01)
    onset = t[np.argmax(db > -50.0)]
    assert abs(onset - first) <= 0.3
    # left to ring: still sounding two seconds on, but decaying
    assert -45.0 < span_db(x, rate, first + 2.0, first + 2.5) < span_db(x, rate, first, first + 0.5)


def test_the_second_note_is_a_new_onset(rendered: Rendered, sheet: CueSheet) -> None:
    rate, x = rendered
    second = sheet.time_of("second_note")
    onsets = _onsets(x, rate, sheet.time_of("first_note") + 0.5, second + 1.0)
    assert len(onsets) == 1 and abs(onsets[0] - second) <= 0.3


def test_strings_enter_barely_audible_under_the_piano(
    composition: Composition, sheet: CueSheet
) -> None:
    """From partner_enters to eyes_meet the strings, alone, are at least 12 dB under the piano
    alone, and never within 10 dB of it in any third of the span."""
    a, b = sheet.time_of("partner_enters"), sheet.time_of("eyes_meet")
    strings = _voices(composition, RATE, a, b, "strings")
    piano = _voices(composition, RATE, a, b, "piano")
    assert span_db(strings, RATE, 0.0, b - a) <= span_db(piano, RATE, 0.0, b - a) - 12.0
    third = (b - a) / 3
    for k in range(3):
        lo, hi = k * third, (k + 1) * third
        assert span_db(strings, RATE, lo, hi) <= span_db(piano, RATE, lo, hi) - 10.0, k
    assert span_db(strings, RATE, 0.0, b - a) > -60.0  # yet there


def test_held_chord_then_answering_phrases(rendered: Rendered, sheet: CueSheet) -> None:
    rate, x = rendered
    meet, conv = sheet.time_of("eyes_meet"), sheet.time_of("conversation")
    assert len(_onsets(x, rate, meet + 0.6, conv - 0.05)) == 0  # one chord, sustained
    assert len(_onsets(x, rate, conv, sheet.time_of("together"))) >= 10  # phrase after phrase


def test_the_held_chord_arrives_without_a_jump(rendered: Rendered, sheet: CueSheet) -> None:
    """The held moment is soft: at most 6 dB over the 4 s before it (in its loudest half
    second), and quieter than the conversation at its height."""
    rate, x = rendered
    meet, conv = sheet.time_of("eyes_meet"), sheet.time_of("conversation")
    _, held = _frames_db(x, rate, meet, conv, hop=0.5)
    _, talk = _frames_db(x, rate, conv, sheet.time_of("together"), hop=0.5)
    assert held.max() <= span_db(x, rate, meet - 4.0, meet) + 6.0
    assert held.max() < talk.max()


def test_growth_through_together(rendered: Rendered, sheet: CueSheet) -> None:
    rate, x = rendered
    a, b = sheet.time_of("together"), sheet.time_of("lift_apex")
    third = (b - a) / 3
    assert span_db(x, rate, b - third, b) >= span_db(x, rate, a, a + third) + 2.0


def test_the_last_chord_breathes_out_into_the_silence(rendered: Rendered, sheet: CueSheet) -> None:
    """No attack just before the apex for the gate to chop: the sound falls away by itself,
    the last tenth of a second at least 10 dB under the second before it."""
    rate, x = rendered
    apex = sheet.time_of("lift_apex")
    assert len(_onsets(x, rate, apex - 1.5, apex)) == 0
    assert span_db(x, rate, apex - 0.1, apex) <= span_db(x, rate, apex - 1.5, apex - 0.5) - 10.0


def test_total_silence_at_the_apex(rendered: Rendered, sheet: CueSheet) -> None:
    rate, x = rendered
    apex, resumes = sheet.time_of("lift_apex"), sheet.time_of("music_resumes")
    assert span_db(x, rate, apex, resumes) < -90.0
    assert span_db(x, rate, resumes, resumes + 2.0) > -40.0  # and then it returns


def test_softer_after_the_lift(rendered: Rendered, sheet: CueSheet) -> None:
    """Softer than the growth before the lift, and than the conversation (a duet as sparse)."""
    rate, x = rendered
    before = span_db(x, rate, sheet.time_of("together"), sheet.time_of("lift_apex"))
    talk = span_db(x, rate, sheet.time_of("conversation"), sheet.time_of("together"))
    after = span_db(x, rate, sheet.time_of("music_resumes"), sheet.time_of("collapse"))
    assert after <= before - 3.0
    assert after <= talk - 4.0


def test_music_around_minus_20_dbfs_and_no_clipping(rendered: Rendered, sheet: CueSheet) -> None:
    rate, x = rendered
    assert -24.0 <= span_db(x, rate, sheet.time_of("first_note"), sheet.time_of("music_end")) <= -16
    assert int(np.abs(x.astype(np.int32)).max()) <= 32767 * 10 ** (-0.9 / 20)


def test_a_heartbeat_in_the_low_band_at_56_a_minute(rendered: Rendered, sheet: CueSheet) -> None:
    rate, x = rendered
    sos = butter(4, [40.0, 80.0], btype="bandpass", fs=rate, output="sos")

    def low(a: float, b: float) -> NDArray[np.float64]:
        seg = x[round(a * rate) : round(b * rate)].astype(np.float64).mean(axis=1) / 32768
        return np.asarray(sosfiltfilt(sos, seg))

    def db(v: NDArray[np.float64]) -> float:
        return float(10 * np.log10(np.mean(v * v) + 1e-20))

    hb = sheet.time_of("heartbeat")
    assert db(low(hb, hb + 20)) >= db(low(hb - 20, hb)) + 6.0
    # the beat: the low band's envelope repeats every 60/56 s
    a = sheet.time_of("music_resumes") + 2.0
    band = low(a, a + 20.0)
    env = np.abs(band).reshape(-1, rate // 100).mean(axis=1)  # 10 ms steps
    env -= env.mean()
    ac = np.correlate(env, env, "full")[len(env) - 1 :]
    lag = (np.argmax(ac[60:200]) + 60) / 100.0
    assert 60.0 / lag == pytest.approx(56.0, abs=3.0)
    assert span_db(x, rate, sheet.time_of("lift_apex") + 0.05, sheet.time_of("music_resumes")) < -90


def test_one_audible_breath(rendered: Rendered, sheet: CueSheet) -> None:
    """Alone in the room but for the heartbeat, the breath stands far above it as heard (A
    weighted) and in its own band; the heartbeat's low energy is no measure of that."""
    rate, x = rendered
    b = sheet.time_of("last_breath")
    assert _a_weighted_db(x, rate, b, b + 2.6) >= _a_weighted_db(x, rate, b - 2.5, b) + 20.0
    sos = butter(4, [350.0, 3200.0], btype="bandpass", fs=rate, output="sos")

    def band_db(t0: float, t1: float) -> float:
        seg = x[round(t0 * rate) : round(t1 * rate)].astype(np.float64).mean(axis=1) / 32768
        y = sosfiltfilt(sos, seg)
        return float(10 * np.log10(np.mean(y * y) + 1e-20))

    assert band_db(b, b + 2.6) >= band_db(b - 2.5, b) + 30.0


def test_the_breath_is_faint_beside_the_music(
    rendered: Rendered, composition: Composition, sheet: CueSheet
) -> None:
    """Rendered alone, the breath is well under the music after the lift, and its peak stays
    under the music's peaks."""
    rate, x = rendered
    b = sheet.time_of("last_breath")
    alone = synthesize(dataclasses.replace(composition, notes=(), heartbeats=()), rate, b, b + 2.65)
    music = span_db(x, rate, sheet.time_of("after"), sheet.time_of("collapse"))
    assert span_db(alone, rate, 0.0, 2.65) <= music - 6.0
    after = np.abs(x[round(sheet.time_of("music_resumes") * rate) :].astype(np.int32))
    assert int(np.abs(alone.astype(np.int32)).max()) <= int(after.max()) * 10 ** (-3 / 20)


def test_music_ends_with_a_decay_then_silence(rendered: Rendered, sheet: CueSheet) -> None:
    rate, x = rendered
    end = sheet.time_of("music_end")
    assert span_db(x, rate, end - 1.0, end) > -45.0
    assert span_db(x, rate, end, end + 1.0) > span_db(x, rate, end + 1.0, end + 2.0)
    assert span_db(x, rate, end + 2.5, sheet.duration) < -60.0


def test_two_renders_give_identical_bytes_and_match_the_whole(
    rendered: Rendered, composition: Composition, sheet: CueSheet
) -> None:
    rate, x = rendered
    a = sheet.time_of("lift_begin") - 1.0
    b = a + 3.0
    one = synthesize(composition, rate, a, b)
    two = synthesize(composition, rate, a, b)
    assert hashlib.sha256(one.tobytes()).digest() == hashlib.sha256(two.tobytes()).digest()
    whole = x[round(a * rate) : round(a * rate) + len(one)].astype(np.int32)
    assert np.abs(one.astype(np.int32) - whole).max() <= 2  # a span is the same music


#: sha256 of each voice alone, rendered from half a second before a cue to 2.5 s after it, as
#: this machine renders them. The score must be the same bytes on every machine: on one that
#: computes differently (its BLAS, FFT or libm), this fails and says which voice moved. After
#: a deliberate change to the synth, or to the notes or cues these spans hold, render them and
#: put the new digests here; a change of the synth also bumps SYNTHESIS_VERSION (so no cached
#: score of the old synth is taken for the new one) and PINNED_VERSION with it.
PINNED_VERSION = 1
PINNED = {
    ("piano", "first_note"): "56693187366906fbd34a0a6092d4ff13943ee100b659db44c2da39cb5e56ca1e",
    ("strings", "together"): "a945a97862cef81451ec70ce4e89aec60537f31b7de8c01fbdbc86fca2c8ad93",
    ("heartbeat", "heartbeat"): "d3f337efa233b487555530a3b19db2bdd1641c126cc90cec7b3cedc61a96641a",
    ("breath", "last_breath"): "7023a25f89869a02f98338b3f5ebbca7be54e01b4759c39d978f6e5a1fa1a02a",
}


@pytest.mark.parametrize(("voice", "cue"), list(PINNED))
def test_each_voice_is_the_same_bytes_as_where_it_was_pinned(
    voice: str, cue: str, composition: Composition, sheet: CueSheet
) -> None:
    alone = dataclasses.replace(
        composition,
        notes=tuple(n for n in composition.notes if n.voice == voice),
        heartbeats=composition.heartbeats if voice == "heartbeat" else (),
        breaths=composition.breaths if voice == "breath" else (),
    )
    t = sheet.time_of(cue)
    x = synthesize(alone, RATE, t - 0.5, t + 2.5)
    assert np.abs(x.astype(np.int32)).max() > 1000  # a span with something in it
    assert hashlib.sha256(x.tobytes()).hexdigest() == PINNED[voice, cue]


def test_the_pins_were_taken_with_this_synthesizer() -> None:
    """Re-pinning the digests above means the synthesis changed: the version must say so."""
    assert SYNTHESIS_VERSION == PINNED_VERSION
