"""``cues``: the cue sheet as a table, or as JSON for other tools."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from .common import EXIT_OK, add_choreography, load, print_lines

if TYPE_CHECKING:
    from ..show.cues import CueSheet

NAME = "cues"
HELP = "print the cue sheet"
DESCRIPTION = "The cue sheet: name, time, bar.beat and what happens."


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    add_choreography(p)


def run(args: argparse.Namespace) -> int:
    sheet = load(args.choreography).sheet
    print_lines(as_json(sheet) if args.json else as_table(sheet))
    return EXIT_OK


def as_json(sheet: CueSheet) -> list[str]:
    cues = [{"name": c.name, "t": c.t, "about": c.about} for c in sheet.cues]
    return [json.dumps({"duration": sheet.duration, "cues": cues}, indent=1)]


def as_table(sheet: CueSheet) -> list[str]:
    """The tempo spans as comment lines, then one row per cue."""
    from ..show.timing import format_clock

    lines = [
        f"# tempo {span.bpm:g} bpm, {span.beats_per_bar}/4 from bar {span.bar} "
        f"({format_clock(span.t)}, cue {sheet.cue_at(span.t)})"
        for span in sheet.tempo.spans
    ]
    lines.append(f"{'cue':<16} {'time':>8} {'bar.beat':>9}  what happens")
    for c in sheet.cues:
        lines.append(f"{c.name:<16} {format_clock(c.t):>8} {sheet.tempo.label(c.t):>9}  {c.about}")
    return lines
