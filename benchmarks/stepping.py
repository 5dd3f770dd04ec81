"""Where the time of stepping both dancers through the whole piece goes (issue 14 item 8, issue 16
item 5: at most 2.5 s on a quiet machine).

Prints ``bench``'s own stepping line (the best of ``--runs`` runs of ``time_whole_piece``, wall
and CPU) beside its pace reference taken before and after, then one pass more with the parts
timed apart: the planner's blocks of targets built when a step needs them, pymunk's step of the
space, and the rest (Python: the stage's step, copying the targets into the solver, the health
checks); and the gown's cost a step, stepped apart as ``bench`` does. The timers of that pass add
a little to its total.

The machine's pace wanders: compare two trees only in one sitting, their runs alternated. The
script runs on whichever tree's package the interpreter imports, so the same file times another
checkout too: ``python benchmarks/stepping.py`` with each tree's interpreter, in turn.

Run: ``python benchmarks/stepping.py [--runs N] [--json]``
"""

from __future__ import annotations

import argparse
import json
import math
import time

from thereturn_viz.run.headless import use_dummy_drivers

use_dummy_drivers()

from thereturn_viz.commands.common import load  # noqa: E402
from thereturn_viz.physics.gown import time_steps  # noqa: E402
from thereturn_viz.physics.planner import DT  # noqa: E402
from thereturn_viz.physics.stage import (  # noqa: E402
    COLLISION_SLOP,
    SOLVER_ITERATIONS,
    Stage,
    time_whole_piece,
)
from thereturn_viz.run.bench import GOWN_STEPS, reference_ms  # noqa: E402
from thereturn_viz.show.choreography import Choreography  # noqa: E402


def parts(choreography: Choreography) -> dict[str, float]:
    """One pass over the piece with its parts timed apart (wall seconds)."""
    stage = Stage(choreography)
    clock = time.perf_counter
    spent = {"blocks": 0.0, "space": 0.0}
    step_space, load_block = stage._step_space, stage._load_block

    def timed_step() -> None:
        began = clock()
        step_space()
        spent["space"] += clock() - began

    def timed_load(number: int) -> None:
        began = clock()
        load_block(number)
        spent["blocks"] += clock() - began

    stage._step_space = timed_step
    stage._load_block = timed_load
    steps = math.ceil(choreography.sheet.duration / DT - 1e-9)
    began = clock()
    for _ in range(steps):
        stage.step()
    total = clock() - began
    return {**spent, "rest": total - spent["blocks"] - spent["space"], "total": total}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2, help="stepping runs, the best kept")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    choreography = load(None)
    before = reference_ms()
    walls, cpus = [], []
    for _ in range(args.runs):
        cpu = time.thread_time()
        walls.append(time_whole_piece(choreography))
        cpus.append(time.thread_time() - cpu)
    split = parts(choreography)
    gown = time_steps(GOWN_STEPS, SOLVER_ITERATIONS, COLLISION_SLOP, DT)
    after = reference_ms()
    report = {
        "seconds": round(min(walls), 3),
        "seconds_worst": round(max(walls), 3),
        "cpu_seconds": round(min(cpus), 3),
        "parts": {k: round(v, 3) for k, v in split.items()},
        "gown_step_us": round(gown * 1e6, 2),
        "reference_ms": {"before": before, "after": after},
    }
    if args.json:
        print(json.dumps(report))
        return
    print(
        f"whole piece, both dancers stepped: {report['seconds']:.2f} s (best of {args.runs}; "
        f"worst {report['seconds_worst']:.2f} s; CPU {report['cpu_seconds']:.2f} s)"
    )
    print(
        f"  parts of one more pass: blocks of targets {split['blocks']:.2f} s, pymunk's step "
        f"{split['space']:.2f} s, the rest {split['rest']:.2f} s (of {split['total']:.2f} s)"
    )
    print(f"  the gown stepped apart: {report['gown_step_us']:.1f} us of CPU a step")
    for when, ref in (("before", before), ("after", after)):
        print(
            f"this machine {when}: a 1920x1080 copy {ref['copy']:.2f} ms, multiply "
            f"{ref['multiply']:.2f} ms, a Python loop {ref['python']:.2f} ms"
        )


if __name__ == "__main__":
    main()
