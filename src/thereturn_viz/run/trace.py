"""The per-frame trace: what tests and tools read instead of guessing from pixels."""

from __future__ import annotations

import json
from typing import IO, Any

from ..render.costume import costume_of
from ..render.gown import hem
from ..show.yaw import wrap
from ..state import FrameState

Box = tuple[int, int, int, int]


def _r(v: float) -> float:
    return round(float(v), 6)


def trace_row(
    fs: FrameState, frame: int, rms_db: float, boxes: dict[str, Box | None] | None = None
) -> dict[str, Any]:
    """One frame of the trace. ``boxes``: each dancer's drawn extent as the renderer reports it
    (:attr:`~thereturn_viz.render.compositor.Renderer.boxes`); without it ``bbox`` is null."""
    dancers: dict[str, Any] = {}
    visible: dict[str, bool] = {}
    for d in fs.dancers:
        box = (boxes or {}).get(d.name)
        row: dict[str, Any] = {
            "joints": {k: [_r(x), _r(y)] for k, (x, y) in d.joints.items()},
            "tracking_error_deg": _r(d.tracking_error_deg),
            "facing": _r(d.facing),
            "resets": d.resets,
            "depth": _r(d.depth),
            "yaw": _r(wrap(d.heading)),
            "bbox": list(box) if box is not None and d.visible > 0.0 else None,
            "com": [_r(d.com[0]), _r(d.com[1])],
            "mass": _r(d.mass),
            "support": None if d.support is None else [_r(d.support[0]), _r(d.support[1])],
            "carried_n": _r(d.carried_n),
        }
        gown = costume_of(d.name).gown
        if gown is not None:
            row["hem"] = [[_r(x), _r(y)] for x, y in hem(d, gown).tolist()]
        dancers[d.name] = row
        visible[d.name] = d.visible > 0.0
    out: dict[str, Any] = {
        "t": _r(fs.t),
        "frame": frame,
        "cue": fs.cue,
        "dancers": dancers,
        "contacts": list(fs.contacts),
        "visible": visible,
        "light": {"mix": _r(fs.light_mix)},
        "presence": _r(fs.presence),
        "camera": {"zoom": _r(fs.camera.zoom), "x": _r(fs.camera.x), "y": _r(fs.camera.y)},
        "fade": _r(fs.fade),
        "audio": {"rms_db": _r(rms_db)},
    }
    if fs.apart:  # only then: a trace of a piece whose holds all close reads as it always did
        out["apart"] = list(fs.apart)
    return out


class TraceWriter:
    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def write(self, row: dict[str, Any]) -> None:
        self.stream.write(json.dumps(row, separators=(",", ":")) + "\n")
