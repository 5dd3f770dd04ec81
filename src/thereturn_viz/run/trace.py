"""The per-frame trace: what tests and tools read instead of guessing from pixels."""

from __future__ import annotations

import json
from typing import IO, Any

from ..state import FrameState


def _r(v: float) -> float:
    return round(float(v), 6)


def trace_row(fs: FrameState, frame: int, rms_db: float) -> dict[str, Any]:
    dancers: dict[str, Any] = {}
    visible: dict[str, bool] = {}
    for d in fs.dancers:
        dancers[d.name] = {
            "joints": {k: [_r(x), _r(y)] for k, (x, y) in d.joints.items()},
            "tracking_error_deg": _r(d.tracking_error_deg),
            "facing": _r(d.facing),
            "resets": d.resets,
        }
        visible[d.name] = d.visible > 0.0
    return {
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


class TraceWriter:
    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def write(self, row: dict[str, Any]) -> None:
        self.stream.write(json.dumps(row, separators=(",", ":")) + "\n")
