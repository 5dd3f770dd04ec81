"""Effort words: each pulls its control the way docs/choreography.md says, and no further."""

from __future__ import annotations

import pytest

from thereturn_viz.show.effort import FACTORS, WORDS, Effort, EffortError, parse_effort
from thereturn_viz.show.errors import Kind

NEUTRAL = parse_effort("neutral")


def test_neutral_changes_nothing() -> None:
    assert NEUTRAL == Effort(1.0, 1.0) == Effort()


@pytest.mark.parametrize(
    ("soft", "firm"), [("light", "strong"), ("indirect", "direct"), ("free", "bound")]
)
def test_the_firmer_word_of_a_factor_pulls_harder(soft: str, firm: str) -> None:
    """weight: light softer / strong firmer; space: direct slightly firmer / indirect softer;
    flow: free looser / bound firm. The two ends lie either side of neutral."""
    assert parse_effort(soft).stiffness < NEUTRAL.stiffness < parse_effort(firm).stiffness


@pytest.mark.parametrize(("slow", "fast"), [("sustained", "sudden"), ("bound", "free")])
def test_the_quicker_word_of_a_factor_moves_faster(slow: str, fast: str) -> None:
    """time: sustained slower / sudden faster; flow: free quicker / bound held back."""
    assert parse_effort(slow).speed < NEUTRAL.speed < parse_effort(fast).speed


@pytest.mark.parametrize("word", ["light", "strong", "direct", "indirect"])
def test_weight_and_space_change_the_pull_and_not_the_speed(word: str) -> None:
    assert parse_effort(word).speed == 1.0


def test_sustained_slows_without_softening() -> None:
    assert parse_effort("sustained").stiffness == 1.0


def test_space_is_only_slightly_firmer_or_softer() -> None:
    for word in ("direct", "indirect"):
        assert abs(parse_effort(word).stiffness - 1.0) <= 0.15, word
    assert abs(parse_effort("light").stiffness - 1.0) > 0.15  # weight is more than slight


@pytest.mark.parametrize("word", sorted(WORDS))
def test_no_word_more_than_doubles_or_halves_a_control(word: str) -> None:
    """The servos are tuned around neutral: a factor beyond 2 (or under 1/2) would make a joint
    snap or hang, whatever the word means."""
    effort = parse_effort(word)
    for value in (effort.stiffness, effort.speed):
        assert 0.5 <= value <= 2.0, (word, effort)


def test_words_multiply_and_a_repeat_counts_once() -> None:
    light, sustained = parse_effort("light"), parse_effort("sustained")
    both = parse_effort("sustained light")
    assert both.stiffness == pytest.approx(light.stiffness * sustained.stiffness)
    assert both.speed == pytest.approx(light.speed * sustained.speed)
    assert parse_effort("light light") == light == parse_effort("  LIGHT ")


@pytest.mark.parametrize("text", ["", "   ", "\t\n"])
def test_an_empty_effort_is_refused_not_neutral(text: str) -> None:
    with pytest.raises(EffortError) as exc:
        parse_effort(text)
    assert exc.value.fault.kind is Kind.MISSING and "empty effort" in str(exc.value)


def test_an_unknown_word_is_named_with_the_closest_one() -> None:
    with pytest.raises(EffortError) as exc:
        parse_effort("sustaned light")
    fault = exc.value.fault
    assert (fault.kind, fault.subject) == (Kind.UNKNOWN_NAME, "sustaned")
    assert fault.suggestion == 'did you mean "sustained"?'


@pytest.mark.parametrize(("factor", "ends"), sorted(FACTORS.items()))
def test_the_two_ends_of_a_factor_cannot_be_combined(factor: str, ends: tuple[str, str]) -> None:
    with pytest.raises(EffortError) as exc:
        parse_effort(f"{ends[1]} {ends[0]}")
    assert exc.value.fault.kind is Kind.CONFLICT
    assert (
        str(exc.value) == f'"{ends[1]}" and "{ends[0]}" are opposite ends of {factor}: choose one'
    )
