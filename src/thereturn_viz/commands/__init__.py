"""The commands of ``python -m thereturn_viz``, one module each.

A command module declares ``NAME``, ``HELP`` and ``DESCRIPTION`` for ``--help``,
``add_arguments(parser)`` for its options, and ``run(args) -> int`` (the exit code); it imports
the heavy parts (pygame, the renderer, the synthesis) inside ``run`` so that ``--help`` and a
mistyped option answer at once. A new command is a new module here, listed in :data:`ALL`.
These modules sit on top of run/ (beside cli.py): run/ never imports them.
"""

from __future__ import annotations

from . import (
    at,
    bench,
    calibrate,
    check,
    copy_phrase,
    cues,
    export,
    kiosk,
    mirror,
    play,
    score,
    sheet,
    shift,
)
from .common import Command

#: Every command, in the order ``--help`` lists them; the first is the default.
ALL: tuple[Command, ...] = (
    play,
    kiosk,
    calibrate,
    export,
    check,
    shift,
    copy_phrase,
    mirror,
    cues,
    at,
    score,
    bench,
    sheet,
)
