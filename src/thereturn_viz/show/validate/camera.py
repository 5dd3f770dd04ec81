"""The ``[[camera]]`` tables of ``cues.toml``: the camera's moves, keyed like the light.

Each table is a move that arrives: ``at`` a time (seconds, a cue, cue+2, bar 12 beat 3), the
camera has ``zoom`` (1: the duet's framing of 9 m of studio across the picture; larger pushes
in, smaller pulls back), having eased there from the previous move's zoom along ``ease``.
"""

from __future__ import annotations

from typing import Any

from ..cues import CameraMove, CueSheet
from ..easing import NAMED, Ease, EaseError, make_ease
from ..errors import KeyPath, Kind, describe
from ..reading import Checker
from .fields import check_number, check_time, unknown_keys

CAMERA_KEYS = ("at", "zoom", "ease")
#: How far the camera may pull back (the whole room) or push in (a pair of hands).
ZOOM = (0.5, 3.0)


def check_camera(raw: Any, sheet: CueSheet, chk: Checker) -> tuple[CameraMove, ...]:
    """The camera's moves, every problem reported (with its ``camera[i].key`` path)."""
    if not isinstance(raw, list) or not all(isinstance(e, dict) for e in raw):
        chk.add(
            ("camera",),
            Kind.TYPE,
            f"expected a list of [[camera]] tables, got {describe(raw)}",
            "each [[camera]] table has at, zoom and (optionally) ease",
            expected="[[camera]] tables",
        )
        return ()
    moves: list[CameraMove] = []
    for i, entry in enumerate(raw):
        path: KeyPath = ("camera", i)
        before = chk.count
        unknown_keys(chk, entry, path, CAMERA_KEYS)
        t = check_time(chk, (*path, "at"), entry.get("at"), sheet, "when the camera arrives")
        zoom = entry.get("zoom")
        if zoom is None:
            chk.add(
                (*path, "zoom"),
                Kind.MISSING,
                "missing: the zoom the camera arrives at",
                "1 frames the duet; larger pushes in, smaller pulls back",
                expected="a zoom",
            )
        else:
            check_number(chk, (*path, "zoom"), zoom, *ZOOM, "zoom (1: the duet's framing)")
        ease = _ease(entry.get("ease", "in_out_sine"), path, chk)
        if chk.count > before or t is None or ease is None:
            continue
        if moves and t <= moves[-1].t:
            chk.add(
                (*path, "at"),
                Kind.ORDER,
                f"at {t:.2f} s, not after the move before it ({moves[-1].t:.2f} s)",
                "list the [[camera]] moves in time order",
            )
            continue
        moves.append(CameraMove(t, float(zoom), ease))
    return tuple(moves)


def _ease(value: Any, path: KeyPath, chk: Checker) -> Ease | None:
    try:
        return make_ease(value)
    except EaseError as exc:
        f = exc.fault
        suggestion = f.suggestion or "names: " + ", ".join(NAMED)
        chk.add(
            (*path, "ease"), f.kind, f.message, suggestion, expected=f.expected, subject=f.subject
        )
        return None
