"""The score's harmonic material: keys, voicings, plans, and the rules a line follows."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thereturn_viz.sound.harmony import (
    A_MINOR_SCALE,
    AFTER,
    CONVERSATION,
    DOMINANTS,
    MAJOR,
    MAJOR_TONIC,
    MINOR,
    MINOR_TONIC,
    RHYTHMS,
    SHAPES,
    THEME,
    TOGETHER_HEAD,
    TOGETHER_MORE,
    TOGETHER_TAIL,
    TOGETHER_VOICING,
    near,
    pitch_classes,
    scale_under,
    together_plan,
    toward,
    walk,
)

#: A minor with its leading tone (G sharp), and C major.
A_MINOR = {(MINOR_TONIC + i) % 12 for i in (0, 2, 3, 5, 7, 8, 10, 11)}
C_MAJOR = {(MAJOR_TONIC + i) % 12 for i in (0, 2, 4, 5, 7, 9, 11)}


def test_the_voicings_stay_in_their_keys() -> None:
    assert all(pitch_classes(v) <= A_MINOR for v in [*MINOR.values(), *TOGETHER_VOICING.values()])
    assert all(pitch_classes(v) <= C_MAJOR for v in MAJOR.values())
    assert all(v[0] == min(v) for v in [*MINOR.values(), *MAJOR.values()])  # bass at the bottom
    assert all(
        pitch_classes(TOGETHER_VOICING[k]) == pitch_classes(MINOR[k]) for k in TOGETHER_VOICING
    )


def test_the_plans_name_known_chords() -> None:
    minor = {*CONVERSATION, *(n for n, _ in (*TOGETHER_HEAD, *TOGETHER_TAIL, *TOGETHER_MORE))}
    assert minor <= set(MINOR) and set(AFTER) <= set(MAJOR) and set(MINOR) >= DOMINANTS
    assert all(4 in pitch_classes(MINOR[d]) for d in DOMINANTS)  # E: the dominant's root
    # G sharp, the leading tone, in each but the suspended one (its A falls to G sharp)
    assert all(8 in pitch_classes(MINOR[d]) for d in DOMINANTS - {"Esus4"})


def test_rhythms_fill_two_bars_of_three_and_the_theme_stays_in_its_bars() -> None:
    for rhythm in RHYTHMS:
        assert all(beat >= 0 and beat + length <= 6 for beat, length in rhythm)
        assert [b for b, _ in rhythm] == sorted(b for b, _ in rhythm)
    assert all(beat >= 0 and beat + held <= 3 for _, beat, held, _ in THEME)
    assert all(max(shape) < 5 for shape in SHAPES)


@given(st.integers(1, 120))
def test_the_plan_of_together_fills_its_bars_and_ends_on_its_tail(n: int) -> None:
    plan = together_plan(n)
    assert sum(length for _, length in plan) == n
    assert all(length >= 1 for _, length in plan)
    tail = [name for name, _ in TOGETHER_TAIL]
    assert [name for name, _ in plan[-min(n, 4) :]] == tail[-min(n, 4) :]


@given(st.floats(45.0, 88.0), st.sampled_from(sorted(MINOR)))
def test_near_is_the_closest_chord_tone(pitch: float, name: str) -> None:
    chord = MINOR[name]
    got = near(pitch, chord)
    tones = [p for p in A_MINOR_SCALE if p % 12 in pitch_classes(chord)]
    assert got in tones and abs(got - pitch) == min(abs(p - pitch) for p in tones)


@given(st.lists(st.integers(-3, 3), max_size=8), st.sampled_from(A_MINOR_SCALE))
def test_a_walk_stays_on_the_scale(steps: list[int], start: int) -> None:
    line = walk(start, steps, A_MINOR_SCALE)
    assert line[0] == start and len(line) == len(steps) + 1
    assert set(line) <= set(A_MINOR_SCALE)


def test_under_the_dominant_the_line_takes_g_sharp() -> None:
    assert 68 in scale_under("E7", A_MINOR_SCALE) and 67 not in scale_under("E7", A_MINOR_SCALE)
    assert scale_under("F", A_MINOR_SCALE) == A_MINOR_SCALE


@pytest.mark.parametrize("target", [60.0, 70.0, 80.0, 90.0])
def test_toward_moves_within_a_fifth_and_never_stays(target: float) -> None:
    tones = [64, 69, 72, 76, 81, 84]
    got = toward(76, tones, target, last=72)
    assert got != 76 and abs(got - 76) <= 7
    assert (got > 76) == (target > 76)
