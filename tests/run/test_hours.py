"""The gallery's hours: what is read, what is refused (with what was expected), and when the
doors open and close, against a plain minute-by-minute count."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thereturn_viz.run.hours import DAYS, HoursError, parse_hours, read_hours

MONDAY = datetime(2026, 11, 30)


def _open_minutes(text: str) -> set[tuple[int, int]]:
    """(weekday, minute) of a week that the hours keep open."""
    hours = parse_hours(text)
    week = (MONDAY + timedelta(minutes=m) for m in range(7 * 24 * 60))
    return {(w.weekday(), w.hour * 60 + w.minute) for w in week if hours.is_open(w)}


@pytest.mark.parametrize(
    ("text", "days", "first", "last"),
    [
        ("Tu-Su 10:00-18:00", {1, 2, 3, 4, 5, 6}, 600, 1079),
        ("mo,WE 9:30-17:00", {0, 2}, 570, 1019),
        ("Fr-Mo 10:00-11:00", {4, 5, 6, 0}, 600, 659),
        ("10:00-11:00", set(range(7)), 600, 659),
        ("Mo 00:00-24:00", {0}, 0, 1439),
    ],
)
def test_rules_are_read(text: str, days: set[int], first: int, last: int) -> None:
    minutes = _open_minutes(text)
    assert {d for d, _ in minutes} == days
    assert min(m for _, m in minutes) == first and max(m for _, m in minutes) == last
    assert len(minutes) == len(days) * (last - first + 1)


def test_an_overnight_span_runs_into_the_next_day() -> None:
    minutes = _open_minutes("Fr 20:00-02:00")
    assert (4, 20 * 60) in minutes and (5, 119) in minutes and (5, 120) not in minutes
    assert (4, 119) not in minutes  # Friday morning is Thursday night's, not Friday's
    assert len(minutes) == 6 * 60


def test_several_rules_by_semicolons_lines_and_comments() -> None:
    one = _open_minutes("Mo-Fr 09:00-17:00; Sa,Su 11:00-16:00")
    two = _open_minutes("# the gallery\nMo-Fr 09:00-17:00  # weekdays\n\nSa,Su 11:00-16:00\n")
    assert one == two and len(one) == 5 * 8 * 60 + 2 * 5 * 60
    assert parse_hours("Mo 10:00-12:00 ;  Tu  10:00-12:00").text == (
        "Mo 10:00-12:00; Tu 10:00-12:00"
    )


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("", "expected at least one rule"),
        ("# nothing\n", "expected at least one rule"),
        ("Tu-Su", "'Tu-Su': expected opening times after the days"),
        ("Tu-Xx 10:00-18:00", "'Tu-Xx': expected days Mo Tu We Th Fr Sa Su"),
        ("Mo-Tu-We 10:00-18:00", "expected days"),
        ("Tuesday 10:00-18:00", "expected days"),
        ("Tu 10-18", "'10-18': expected a time span HH:MM-HH:MM"),
        ("Tu 10:00-18:00,", "'': expected a time span"),
        ("Tu 10:00 18:00", "expected a time span"),
        ("Tu 10:60-18:00", "expected times from 00:00 to 24:00"),
        ("Tu 24:00-02:00", "expected times from 00:00 to 24:00"),
        ("Tu 10:00-10:00", "opens and closes at the same time"),
        ("Mo 10:00-12:00\nTu 1000-1200", "line 2: '1000-1200'"),
    ],
)
def test_what_cannot_be_read_says_what_was_expected(text: str, needle: str) -> None:
    with pytest.raises(HoursError) as exc:
        parse_hours(text)
    assert needle in str(exc.value)
    assert "\n" not in str(exc.value)


def test_read_hours_takes_a_file_or_the_rules_themselves(tmp_path: Path) -> None:
    path = tmp_path / "hours.txt"
    path.write_text("Sa,Su 11:00-16:00\n")
    assert read_hours(str(path)).text == read_hours("Sa,Su 11:00-16:00").text
    path.write_text("Sa,Su 11:00-16:00\nSu 11-16\n")
    with pytest.raises(HoursError, match=r"^--hours .*hours.txt: line 2: '11-16': expected"):
        read_hours(str(path))
    path.write_bytes(b"\xff\xfe")
    with pytest.raises(HoursError, match="cannot read"):
        read_hours(str(path))
    with pytest.raises(HoursError, match="^--hours 'Tu 10-18': '10-18'"):
        read_hours("Tu 10-18")


_span = st.tuples(st.integers(0, 23), st.sampled_from([0, 15, 30, 45]), st.integers(1, 20))
_rule = st.tuples(
    st.lists(st.integers(0, 6), min_size=0, max_size=3, unique=True),
    st.lists(_span, min_size=1, max_size=2),
)


def _text(rules: list[tuple[list[int], list[tuple[int, int, int]]]]) -> str:
    out = []
    for days, spans in rules:
        times = []
        for hour, minute, quarters in spans:
            end = (hour * 60 + minute + quarters * 15) % (24 * 60)
            times.append(f"{hour:02d}:{minute:02d}-{end // 60:02d}:{end % 60:02d}")
        out.append(f"{','.join(DAYS[d] for d in days)} {','.join(times)}".strip())
    return "; ".join(out)


@settings(max_examples=25, deadline=None)
@given(st.lists(_rule, min_size=1, max_size=3), st.integers(0, 7 * 24 * 4 - 1))
def test_next_change_is_the_first_quarter_hour_that_differs(
    rules: list[tuple[list[int], list[tuple[int, int, int]]]], quarter: int
) -> None:
    """Against a plain walk a quarter of an hour at a time (every bound is on a quarter)."""
    hours = parse_hours(_text(rules))
    when = MONDAY + timedelta(minutes=15 * quarter, seconds=7)
    now_open = hours.is_open(when)
    expected = None
    for k in range(1, 8 * 24 * 4 + 1):
        moment = when.replace(second=0) + timedelta(minutes=15 * k)
        if hours.is_open(moment) != now_open:
            expected = moment
            break
    assert hours.next_change(when) == expected
