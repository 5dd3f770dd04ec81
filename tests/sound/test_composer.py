"""The composer: what is played when, derived from the cue sheet."""

from __future__ import annotations

import dataclasses
import itertools
import statistics
from collections.abc import Iterable

import numpy as np
import pytest

from thereturn_viz.show.cues import CueSheet
from thereturn_viz.sound.cache import score_key
from thereturn_viz.sound.composer import (
    AFTER_SOFTER_DB,
    EARLY_MAX,
    HEARTBEAT_PER_MINUTE,
    LATE_MAX,
    compose,
)
from thereturn_viz.sound.composition import (
    BOW_RELEASE_MAX,
    RATE,
    SEEDS,
    Composition,
    Note,
    Seeds,
    pedal_release,
    piano_loudness,
)
from thereturn_viz.sound.harmony import MAJOR_TONIC, MINOR_TONIC

A_MINOR = {(MINOR_TONIC + i) % 12 for i in (0, 2, 3, 5, 7, 8, 10, 11)}  # with the leading tone
C_MAJOR = {(MAJOR_TONIC + i) % 12 for i in (0, 2, 4, 5, 7, 9, 11)}
#: Krumhansl and Kessler's key profiles (how well each degree fits a key), from the tonic up.
MAJOR_PROFILE = (6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88)
MINOR_PROFILE = (6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17)


def _between(
    composition: Composition, sheet: CueSheet, a: str, b: str, voice: str = "piano"
) -> list:
    t0, t1 = sheet.time_of(a), sheet.time_of(b)
    return [n for n in composition.notes if n.voice == voice and t0 <= n.t < t1]


def test_tempo_is_slow(sheet: CueSheet) -> None:
    assert all(60.0 <= span.bpm <= 70.0 for span in sheet.tempo.spans)


def test_notes_fall_on_the_bar_grid_or_on_cues(composition: Composition, sheet: CueSheet) -> None:
    """On the beat (or half beat) within a player's touch, or rolled just after a beat or cue."""
    cues = {c.t for c in sheet.cues}
    touch = max(LATE_MAX, EARLY_MAX) + 1e-6
    grid = 0
    for n in composition.notes:
        if n.t < sheet.tempo.origin:
            continue
        bar, beat = sheet.tempo.bar_beat(n.t)
        seconds = sheet.tempo.span_at(n.t).beat_seconds
        on_beat = abs(beat - round(beat)) * seconds <= touch
        on_half = abs(2 * beat - round(2 * beat)) * seconds / 2 <= touch
        grid += on_beat
        rolled = (beat - int(beat)) * seconds < 0.6
        assert on_beat or on_half or rolled or any(0 <= n.t - c < 0.6 for c in cues)
    assert grid >= 0.8 * len(composition.notes)


def test_the_touch_is_human_but_cue_notes_are_exact(
    composition: Composition, sheet: CueSheet
) -> None:
    """Not a sequencer: onsets spread around the beat and velocities vary within a phrase."""
    conv = _between(composition, sheet, "conversation", "together")
    offsets = []
    for n in conv:
        beat = sheet.tempo.bar_beat(n.t)[1]
        offsets.append((beat - round(beat)) * sheet.tempo.span_at(n.t).beat_seconds)
    spread = np.array([o for o in offsets if abs(o) < 0.05])
    assert spread.std() > 0.003 and spread.max() <= LATE_MAX + 1e-6
    assert len({n.vel for n in conv}) > len(conv) // 2
    for cue in ("first_note", "second_note", "eyes_meet", "music_resumes"):
        assert sheet.time_of(cue) in {n.t for n in composition.notes}


def test_phrases_do_not_repeat_like_a_loop(composition: Composition, sheet: CueSheet) -> None:
    """Each two-bar phrase of the conversation has its own rhythm-and-pitch shape."""
    notes = [n for n in _between(composition, sheet, "conversation", "together") if n.pitch >= 55]
    bar = sheet.tempo.beat_seconds * sheet.tempo.beats_per_bar
    t0 = sheet.time_of("conversation")
    shapes = {}
    for n in notes:
        k = int((n.t - t0 + 0.05) // (2 * bar))
        beat = round((n.t - t0 - 2 * k * bar) / sheet.tempo.beat_seconds * 2) / 2
        shapes.setdefault(k, []).append((beat, n.pitch))
    calls = [tuple(v) for k, v in sorted(shapes.items()) if k % 2 == 0]
    assert len(set(calls)) >= 0.8 * len(calls)


def test_the_opening_is_one_note_then_another_then_sparse(
    composition: Composition, sheet: CueSheet
) -> None:
    first, second = sheet.time_of("first_note"), sheet.time_of("second_note")
    assert min(n.t for n in composition.notes) == first
    assert len([n for n in composition.notes if n.t < second]) == 1
    assert [n.t for n in composition.notes if n.t == second] == [second]
    sparse = _between(composition, sheet, "second_note", "partner_enters")
    bar = sheet.tempo.beat_seconds * sheet.tempo.beats_per_bar
    span = sheet.time_of("partner_enters") - second
    assert 2 <= len(sparse) <= 2 * span / bar  # a few notes, at most two a bar


def test_strings_enter_barely_with_the_partner(composition: Composition, sheet: CueSheet) -> None:
    strings = [n for n in composition.notes if n.voice == "strings"]
    assert min(n.t for n in strings) == sheet.time_of("partner_enters")
    entering = [n for n in strings if n.t == sheet.time_of("partner_enters")]
    later = _between(composition, sheet, "together", "lift_apex", "strings")
    assert max(n.vel for n in entering) < 0.5 * max(n.vel for n in later)


def test_eyes_meet_is_one_held_chord(composition: Composition, sheet: CueSheet) -> None:
    held = _between(composition, sheet, "eyes_meet", "conversation")
    assert len(held) >= 3
    assert max(n.t for n in held) - sheet.time_of("eyes_meet") < 0.5  # all struck at once
    assert all(n.t + n.dur >= sheet.time_of("conversation") - 0.01 for n in held)


def test_conversation_answers_high_with_low(composition: Composition, sheet: CueSheet) -> None:
    notes = _between(composition, sheet, "conversation", "together")
    bar = sheet.tempo.beat_seconds * sheet.tempo.beats_per_bar
    t0 = sheet.time_of("conversation")
    phrase_means = []
    for k in range(4):
        melody = [
            n.pitch
            for n in notes
            if t0 + 2 * k * bar <= n.t < t0 + 2 * (k + 1) * bar and n.pitch >= 55
        ]
        phrase_means.append(np.mean(melody))
    assert phrase_means[0] > phrase_means[1] + 5 and phrase_means[2] > phrase_means[3] + 5


def _fits(notes: Iterable[Note]) -> dict[tuple[int, str], float]:
    """How well each of the 24 keys fits how long each pitch class is held: the correlation of
    the held durations with the key's profile (Krumhansl-Schmuckler)."""
    held = np.zeros(12)
    for n in notes:
        held[n.pitch % 12] += n.dur
    return {
        (tonic, mode): float(np.corrcoef(held, np.roll(profile, tonic))[0, 1])
        for tonic in range(12)
        for mode, profile in (("major", MAJOR_PROFILE), ("minor", MINOR_PROFILE))
    }


def _key_of(notes: Iterable[Note]) -> tuple[int, str]:
    """The key whose profile best fits the notes (see :func:`_fits`).

    A minor and C major share their notes; what tells them apart is where the weight falls.
    """
    fit = _fits(notes)
    return max(fit, key=fit.__getitem__)


#: The sections, each heard on its own: A minor up to the silence, C major after it.
#: ``together`` is taken in its two halves (at the heartbeat) and in thirds (as it grows).
KEY_SECTIONS = (
    ("first_note", "eyes_meet"),
    ("eyes_meet", "conversation"),
    ("conversation", "together"),
    ("together", "heartbeat"),
    ("heartbeat", "lift_apex"),
    ("together", "lift_apex", 0),
    ("together", "lift_apex", 1),
    ("together", "lift_apex", 2),
    ("music_resumes", "after"),
    ("after", "collapse"),
    ("collapse", "music_end"),
)
#: How much better a section's key must fit than its relative (a difference of correlations).
#: The two keys share all their notes but G sharp, so this is all that tells them apart: a
#: loop of i-VI-III-VII (Am F C G) leans to C major, one that cadences through E to A does not.
KEY_MARGIN = 0.2


def _section_id(section: tuple) -> str:
    return "-".join(section[:2]) + "".join(f"-third{k + 1}" for k in section[2:])


@pytest.mark.parametrize("voices", [("piano",), ("piano", "strings")], ids=["piano", "all"])
@pytest.mark.parametrize("section", KEY_SECTIONS, ids=_section_id)
def test_each_section_is_in_its_key_by_a_clear_margin(
    composition: Composition, sheet: CueSheet, section: tuple, voices: tuple[str, ...]
) -> None:
    """A key finder weighting each pitch class by how long it is held hears every section
    before the lift in A minor, well ahead of C major, and every one after it in C major, well
    ahead of A minor: the minor opens into its relative major only after the silence."""
    t0, t1 = sheet.time_of(section[0]), sheet.time_of(section[1])
    if len(section) == 3:
        third = (t1 - t0) / 3
        t0, t1 = t0 + section[2] * third, t0 + (section[2] + 1) * third
    notes = [n for n in composition.notes if n.voice in voices and t0 <= n.t < t1]
    minor, major = (MINOR_TONIC % 12, "minor"), (MAJOR_TONIC % 12, "major")
    key, relative = (minor, major) if t1 <= sheet.time_of("lift_apex") else (major, minor)
    fit = _fits(notes)
    assert _key_of(notes) == key, (key, max(fit, key=fit.__getitem__))
    assert fit[key] - fit[relative] >= KEY_MARGIN, (fit[key], fit[relative])


def test_keys_minor_then_relative_major(composition: Composition, sheet: CueSheet) -> None:
    apex, resumes = sheet.time_of("lift_apex"), sheet.time_of("music_resumes")
    before = [n for n in composition.notes if n.t < apex]
    after = [n for n in composition.notes if n.t >= resumes]
    assert {n.pitch % 12 for n in before} <= A_MINOR and {n.pitch % 12 for n in after} <= C_MAJOR
    assert (MAJOR_TONIC - MINOR_TONIC) % 12 == 3  # the relative major: a minor third up
    # the centre: A before the lift (and in the opening and the conversation on their own), C after
    assert _key_of(before) == (MINOR_TONIC % 12, "minor")
    for a, b in (("first_note", "eyes_meet"), ("conversation", "together")):
        assert _key_of(_between(composition, sheet, a, b)) == (MINOR_TONIC % 12, "minor"), a
    assert _key_of(after) == (MAJOR_TONIC % 12, "major")


def _harmonies(
    composition: Composition, sheet: CueSheet, a: str, b: str
) -> list[tuple[int, set[int]]]:
    """The bass line of ``a .. b``: the lowest piano note sounding at each downbeat, a run of
    bars on one bass taken as one harmony, with the pitch classes that sound over it (piano
    and strings)."""
    piano = [n for n in composition.notes if n.voice == "piano"]  # the bass is the piano's
    out: list[tuple[int, set[int]]] = []
    for down in sheet.tempo.downbeats(sheet.time_of(a), sheet.time_of(b)):
        span = sheet.tempo.span_at(down)
        end = down + span.beat_seconds * span.beats_per_bar - 0.05
        at = down + 0.05  # struck on the downbeat (within a player's touch) or held over it
        bass = [n.pitch for n in piano if n.t <= at < n.t + n.dur]
        heard = {n.pitch % 12 for n in composition.notes if n.t < end and n.t + n.dur > at}
        if not bass:
            continue
        if out and out[-1][0] == min(bass) % 12:
            out[-1][1].update(heard)
        else:
            out.append((min(bass) % 12, heard))
    return out


def test_before_the_lift_the_dominant_resolves_to_a(
    composition: Composition, sheet: CueSheet
) -> None:
    """The minor is heard in its cadences: again and again the dominant (E, or its G sharp in
    the bass, the leading tone sounding) moves to A, in the conversation and through
    ``together``; the relative major's own cadence (G to C in the bass) never comes before
    the silence."""
    a, e, g, c, g_sharp = ((MINOR_TONIC + i) % 12 for i in (0, 7, 10, 3, 11))
    for first, last, least in (("conversation", "together", 2), ("together", "lift_apex", 4)):
        bass = _harmonies(composition, sheet, first, last)
        moves = list(itertools.pairwise(bass))
        home = [
            1
            for (b0, heard), (b1, _) in moves
            if b0 in (e, g_sharp) and g_sharp in heard and b1 == a
        ]
        assert len(home) >= least, first
        assert not [1 for (b0, _), (b1, _) in moves if (b0, b1) == (g, c)], first


def test_the_bass_rests_on_a_before_the_lift_and_on_c_after(
    composition: Composition, sheet: CueSheet
) -> None:
    piano = [n for n in composition.notes if n.voice == "piano"]

    def lowest(t0: float, t1: float) -> int:
        return min(n.pitch for n in piano if t0 <= n.t < t1) % 12

    a, c = MINOR_TONIC % 12, MAJOR_TONIC % 12
    together, apex = sheet.time_of("together"), sheet.time_of("lift_apex")
    resumes, end = sheet.time_of("music_resumes"), sheet.time_of("music_end")
    bar = sheet.tempo.beat_seconds * sheet.tempo.beats_per_bar
    first_bass = min((n for n in piano if n.pitch < MINOR_TONIC - 5), key=lambda n: n.t)
    assert first_bass.pitch % 12 == a  # the opening's first bass note
    assert lowest(together - 2 * bar, together) == a  # the conversation's last phrase
    # the last chord before the silence is the dominant, E with G sharp: it waits for A
    last = max(down for down, _ in composition.pedal if down < apex)
    assert lowest(last, apex) == (a + 7) % 12
    assert (a + 11) % 12 in {n.pitch % 12 for n in piano if last <= n.t < apex}
    # after the silence the music starts and ends on C
    assert lowest(resumes, resumes + 0.5) == c
    assert lowest(max(down for down, _ in composition.pedal if down < end), end) == c


def test_nothing_is_struck_as_the_silence_comes(composition: Composition, sheet: CueSheet) -> None:
    """The last chord rings and breathes out: no onset in the last half second, every key and
    the pedal up before the apex, every bow lifted in time for its release to end there."""
    apex = sheet.time_of("lift_apex")
    assert not [n for n in composition.notes if apex - 0.5 <= n.t < apex]
    before = [n for n in composition.notes if n.t < apex]
    assert max(pedal_release(n, composition.pedal) for n in before if n.voice == "piano") < apex
    assert max(n.t + n.dur for n in before if n.voice == "strings") <= apex - BOW_RELEASE_MAX


def test_nothing_sounds_in_the_silence_or_after_the_end(
    composition: Composition, sheet: CueSheet
) -> None:
    apex, resumes = sheet.time_of("lift_apex"), sheet.time_of("music_resumes")
    assert composition.silences == ((apex, resumes),)
    assert not [n for n in composition.notes if apex <= n.t < resumes]
    assert not [h for h in composition.heartbeats if apex - 0.6 <= h < resumes]
    assert max(n.t for n in composition.notes) < sheet.time_of("music_end")


def test_the_piano_after_the_lift_is_softer_by_design(
    composition: Composition, sheet: CueSheet
) -> None:
    """Its notes, written at the conversation's velocities, sound at least AFTER_SOFTER_DB
    under them: the loudness is lowered, not the velocity (the two are not proportional)."""
    resumes = sheet.time_of("music_resumes")
    after = [
        piano_loudness(n.vel) for n in composition.notes if n.voice == "piano" and n.t >= resumes
    ]
    talk = [piano_loudness(n.vel) for n in _between(composition, sheet, "conversation", "together")]
    ratio_db = 20 * np.log10(statistics.median(after) / statistics.median(talk))
    assert ratio_db <= -AFTER_SOFTER_DB


def test_after_the_lift_the_music_moves_on_a_slower_pulse(
    composition: Composition, sheet: CueSheet
) -> None:
    """ "A softer, slower duet": the tempo map slows where the music returns (or at ``after``),
    and the duet's bass, a note a bar, moves on those longer bars, not on the old ones."""
    resumes, after = sheet.time_of("music_resumes"), sheet.time_of("after")
    before = sheet.tempo.span_at(sheet.time_of("lift_apex") - 1e-3)
    slower = sheet.tempo.span_at(after)
    assert resumes <= slower.t <= after and slower.bpm < before.bpm
    bar = slower.beat_seconds * slower.beats_per_bar
    bass = [n.t for n in composition.notes if n.voice == "piano" and n.t >= after and n.pitch < 50]
    assert len(bass) >= 20
    gaps = np.diff(bass)
    assert float(np.median(gaps)) == pytest.approx(bar, abs=LATE_MAX + EARLY_MAX)


def test_the_heartbeat_runs_about_56_a_minute_from_its_cue(
    composition: Composition, sheet: CueSheet
) -> None:
    beats = np.array(composition.heartbeats)
    assert beats[0] == sheet.time_of("heartbeat")
    gaps = np.diff(beats)
    steady = gaps[gaps < 2.0]
    assert 60.0 / steady.mean() == pytest.approx(HEARTBEAT_PER_MINUTE, abs=2.0)
    assert beats[-1] > sheet.time_of("touch")
    assert composition.breaths == (sheet.time_of("last_breath"),)


def test_the_music_follows_its_cues(sheet: CueSheet, composition: Composition) -> None:
    moved = dataclasses.replace(
        sheet,
        cues=tuple(
            dataclasses.replace(c, t=c.t + 1.5) if c.name == "eyes_meet" else c for c in sheet.cues
        ),
    )
    other = compose(moved)
    meet = sheet.time_of("eyes_meet")
    assert [n.t + 1.5 for n in composition.notes if n.t == meet] == [
        n.t for n in other.notes if n.t == meet + 1.5
    ]
    assert score_key(other, RATE) != score_key(composition, RATE)
    assert score_key(compose(sheet), RATE) == score_key(composition, RATE)


def _split(composition: Composition, sheet: CueSheet) -> tuple[list[Note], list[Note]]:
    """The notes before the silence and after it."""
    apex = sheet.time_of("lift_apex")
    return [n for n in composition.notes if n.t < apex], [
        n for n in composition.notes if n.t >= apex
    ]


def test_the_same_seeds_compose_the_same_score(composition: Composition, sheet: CueSheet) -> None:
    again = compose(sheet, Seeds())
    assert again == composition and again.seeds == Seeds()
    other = Seeds(phrases=1, touch=2, phrases_after=3, touch_after=4)
    assert compose(sheet, other).seeds == other


def test_the_touch_moves_onsets_and_velocities_never_notes(
    composition: Composition, sheet: CueSheet
) -> None:
    """Another player's touch: the same pitches in the same voices, a few ms apart, and the
    notes that mark a cue exactly where they were."""
    other = compose(sheet, dataclasses.replace(SEEDS, touch=1, touch_after=2))
    assert sorted((n.pitch, n.voice) for n in other.notes) == sorted(
        (n.pitch, n.voice) for n in composition.notes
    )
    assert other.notes != composition.notes
    for mine, theirs in zip(
        sorted(composition.notes, key=lambda n: (n.pitch, n.voice, n.t)),
        sorted(other.notes, key=lambda n: (n.pitch, n.voice, n.t)),
        strict=True,
    ):
        assert abs(mine.t - theirs.t) <= LATE_MAX + EARLY_MAX + 1e-6
    for cue in ("first_note", "second_note", "eyes_meet", "music_resumes"):
        assert sheet.time_of(cue) in {n.t for n in other.notes}


@pytest.mark.parametrize(
    ("changed", "moved"),
    [
        ({"phrases": 1, "touch": 2}, "before"),
        ({"phrases_after": 1, "touch_after": 2}, "after"),
    ],
)
def test_what_is_drawn_before_the_silence_never_moves_what_comes_after(
    composition: Composition, sheet: CueSheet, changed: dict[str, int], moved: str
) -> None:
    before, after = _split(composition, sheet)
    other_before, other_after = _split(compose(sheet, dataclasses.replace(SEEDS, **changed)), sheet)
    assert (other_before != before, other_after != after) == (moved == "before", moved == "after")
