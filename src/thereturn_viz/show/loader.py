"""Loading a choreography folder: each file read, checked by its validator, and the model built.

One loader serves ``check``, ``play``, ``kiosk`` and ``export``. It never raises anything but
:class:`~.errors.ChoreographyError`, which carries every problem found in every file: a broken
file does not hide the others' problems (a broken cue sheet is stood in for by the cues that
could be read, see :func:`~.validate.cues.stand_in_sheet`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .choreography import DANCERS, Choreography, Contact, DancerScript, Pose
from .cues import STORY_CUES, CueSheet
from .errors import ChoreographyError, Kind, Names, Problem
from .reading import FILES, Checker, Source, read_source
from .validate.cues import check_cues, stand_in_sheet
from .validate.dancer import check_dancer
from .validate.duet import check_duet
from .validate.keyframe import Known
from .validate.poses import check_poses, pose_names

__all__ = ["FILES", "load_choreography", "load_cues"]


def load_cues(path: Path) -> CueSheet:
    """The cue sheet of ``path`` alone (the score and the tests need no more)."""
    data, src = read_source(path, "cues")
    problems: list[Problem] = []
    sheet = check_cues(data, Checker(src, problems))
    if problems or sheet is None:
        raise ChoreographyError(problems)
    return sheet


def load_choreography(folder: Path) -> Choreography:
    """Load and check a whole choreography folder; raise one error listing every problem."""
    folder = Path(folder)
    if not folder.is_dir():
        what = "does not exist" if not folder.exists() else "is not a folder"
        raise ChoreographyError(
            [Problem(str(folder), "", what, "pass the choreography folder, e.g. choreography/")]
        )
    problems: list[Problem] = []
    cue_data: dict[str, Any] | None = None
    sheet: CueSheet | None = None
    try:
        cue_data, src = read_source(folder / "cues.toml", "cues")
        sheet = check_cues(cue_data, Checker(src, problems))
    except ChoreographyError as exc:
        problems.extend(exc.problems)
    files: dict[str, tuple[dict[str, Any], Source]] = {}
    for name in FILES[1:]:
        try:
            files[name] = read_source(folder / name)
        except ChoreographyError as exc:
            problems.extend(exc.problems)
    poses: dict[str, Pose] = {}
    names: Names | None = None  # None: poses.toml unreadable, so names go unchecked
    if "poses.toml" in files:
        table, src = files["poses.toml"]
        names = pose_names(table)
        poses = check_poses(table, Checker(src, problems))
    stand_in = None
    if sheet is None:  # check the other files all the same, against what could be read
        stand_in = stand_in_sheet(cue_data) if cue_data is not None else None
        if stand_in is None:
            raise ChoreographyError(problems)
        sheet = stand_in
    checked = len(problems)
    dancers, contacts = _dancers_and_duet(files, Known(sheet, poses, names), problems)
    if stand_in is not None:
        # a cue of docs/story.md that the broken sheet lost is reported there, not at every use
        lost = {n for n in STORY_CUES if n not in stand_in}
        problems[checked:] = [
            p for p in problems[checked:] if not (p.kind is Kind.UNKNOWN_CUE and p.subject in lost)
        ]
        raise ChoreographyError(problems)
    if problems:
        raise ChoreographyError(problems)
    return Choreography(folder, sheet, poses, dancers, contacts)


def _dancers_and_duet(
    files: dict[str, tuple[dict[str, Any], Source]], known: Known, problems: list[Problem]
) -> tuple[dict[str, DancerScript], tuple[Contact, ...]]:
    dancers: dict[str, DancerScript] = {}
    for who in DANCERS:
        if f"{who}.toml" in files:
            table, src = files[f"{who}.toml"]
            script = check_dancer(who, table, known, Checker(src, problems))
            if script is not None:
                dancers[who] = script
    contacts: tuple[Contact, ...] = ()
    if "duet.toml" in files:
        table, src = files["duet.toml"]
        contacts = check_duet(table, known.sheet, dancers, Checker(src, problems))
    return dancers, contacts
