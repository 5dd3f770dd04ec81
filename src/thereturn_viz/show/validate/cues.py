"""``cues.toml``: the cue sheet, checked against the cues of docs/story.md, and its tempo map."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ..cues import MAX_SECONDS, STORY_CUES, TOO_LONG, Cue, CueSheet
from ..errors import KeyPath, Kind, closest, describe
from ..reading import Checker
from ..tempo import TempoMap
from .camera import check_camera
from .fields import number_fault, unknown_keys
from .tempo import check_tempo

CUE_KEYS = ("name", "t", "about")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def check_cues(data: dict[str, Any], chk: Checker) -> CueSheet | None:
    """The sheet, reporting every problem in it; the sheet is still returned (to check the other
    files against) when only its tempo is wrong, and None when the cues themselves are."""
    before = chk.count
    unknown_keys(chk, data, (), ("cue", "tempo", "camera"))
    raw = data.get("cue")
    if not isinstance(raw, list) or not raw or not all(isinstance(e, dict) for e in raw):
        chk.add(
            ("cue",),
            Kind.MISSING if raw is None else Kind.TYPE,
            "expected a list of [[cue]] tables, each with name, t and about",
            "see docs/choreography.md",
            expected="[[cue]] tables",
        )
        return None
    cues, rows = _read_cues(raw, chk)
    _check_names_and_order(cues, rows, chk)
    _check_story(cues, rows, len(raw), chk)
    if chk.count == before:
        _check_ends(cues, rows, chk)
    usable = chk.count == before
    tempo = check_tempo(data.get("tempo", {}), cues, chk)
    if not usable:
        return None
    sheet = CueSheet(tuple(cues), tempo)
    return replace(sheet, camera=check_camera(data.get("camera", []), sheet, chk))


def _read_cues(raw: list[dict[str, Any]], chk: Checker) -> tuple[list[Cue], list[int]]:
    """The cues that can be read, and the [[cue]] index of each."""
    cues: list[Cue] = []
    rows: list[int] = []
    for i, entry in enumerate(raw):
        path: KeyPath = ("cue", i)
        unknown_keys(chk, entry, path, CUE_KEYS)
        name, t, about = entry.get("name"), entry.get("t"), entry.get("about", "")
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            what = "missing" if name is None else f"got {describe(name)}"
            chk.add(
                (*path, "name"),
                Kind.MISSING if name is None else Kind.TYPE,
                f"expected a cue name (letters, digits, _), {what}",
                expected="a cue name (letters, digits, _)",
            )
            continue
        fault = number_fault(t, 0.0, MAX_SECONDS, "seconds")
        if fault is not None:
            if isinstance(t, int | float) and t > MAX_SECONDS:  # a number, too late: why
                fault = replace(fault, suggestion=TOO_LONG)
            chk.fault((*path, "t"), fault)
            continue
        if not isinstance(about, str):
            chk.add((*path, "about"), Kind.TYPE, f"expected a string, got {describe(about)}")
            about = ""
        assert t is not None  # a number: number_fault said so
        cues.append(Cue(name, float(t), about))
        rows.append(i)
    return cues, rows


def _check_names_and_order(cues: list[Cue], rows: list[int], chk: Checker) -> None:
    names = [c.name for c in cues]
    for i, cue in enumerate(cues):
        if names.index(cue.name) != i:
            chk.add(
                ("cue", rows[i], "name"),
                Kind.DUPLICATE,
                f'cue "{cue.name}" appears twice',
                subject=cue.name,
            )
        if i and cue.t < cues[i - 1].t:
            chk.add(
                ("cue", rows[i], "t"),
                Kind.ORDER,
                f'"{cue.name}" at {cue.t:g} s comes before "{cues[i - 1].name}" '
                f"at {cues[i - 1].t:g} s",
                "cues must be in time order",
            )


def _check_story(cues: list[Cue], rows: list[int], entries: int, chk: Checker) -> None:
    """Every cue of docs/story.md is in the sheet; a misspelling is reported where it is written."""
    names = [c.name for c in cues]
    extra = [n for n in names if n not in STORY_CUES]
    for name in STORY_CUES:
        if name in names:
            continue
        near = closest(name, extra)
        if len(cues) < entries and near is None:
            continue  # perhaps it is the entry that could not be read: said there already
        where: KeyPath = ("cue",) if near is None else ("cue", rows[names.index(near)], "name")
        # "did you mean" would offer the renamed cue itself: say which name the story needs
        hint = (
            f'the story\'s cues keep their names: call this cue "{name}" again'
            if near
            else "every cue of docs/story.md must be in the sheet"
        )
        chk.add(
            where,
            Kind.MISSING,
            f'missing `{name}`: the story\'s cue "{name}" is not in the sheet',
            hint,
            expected="the cues of docs/story.md",
            subject=name,
        )


def _check_ends(cues: list[Cue], rows: list[int], chk: Checker) -> None:
    """The story's cues in its order, ``end`` last and later than 0 (once all else is right)."""
    names = [c.name for c in cues]
    if [n for n in names if n in STORY_CUES] != list(STORY_CUES):
        chk.add(
            ("cue",),
            Kind.ORDER,
            "the cues of docs/story.md are out of order",
            " -> ".join(STORY_CUES),
        )
    elif names[-1] != "end":
        chk.add(("cue", rows[-1], "name"), Kind.ORDER, 'the last cue must be "end"')
    elif cues[-1].t <= 0.0:
        chk.add(("cue", rows[-1], "t"), Kind.RANGE, "the piece must last more than 0 s")


def stand_in_sheet(data: dict[str, Any]) -> CueSheet | None:
    """The cues of a broken sheet that could be read (each name once, in time order), to check
    the other files against, so that one mistake in ``cues.toml`` does not hide every other
    file's; None when not even that much can be read. Never a sheet to perform from.

    The tempo is left at its default (a broken tempo must not stop the check), and a sheet that
    lost its ``end`` ends as late as a sheet may, so nothing is reported after a lost end.
    """
    raw = data.get("cue")
    if not isinstance(raw, list):
        return None
    seen: dict[str, Cue] = {}
    for entry in raw:
        if not isinstance(entry, dict):
            continue
        name, t = entry.get("name"), entry.get("t")
        if not isinstance(name, str) or name in seen or not isinstance(t, int | float):
            continue
        if number_fault(t, 0.0, MAX_SECONDS, "s") is None:
            seen[name] = Cue(name, float(t), "")
    cues = sorted(seen.values(), key=lambda c: c.t)
    if not cues:
        return None
    if "end" not in seen:
        cues.append(Cue("end", MAX_SECONDS, ""))
    elif cues[-1].name != "end":
        cues = [c for c in cues if c.name != "end"] + [Cue("end", max(c.t for c in cues), "")]
    return CueSheet(tuple(cues), TempoMap())
