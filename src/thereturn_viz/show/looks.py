"""The light, the presence, the camera and the fades as functions of time and the cue sheet.

Pure functions: the same sheet and time give the same look. Every change is keyed to a cue name.
"""

from __future__ import annotations

import numpy as np

from .cues import CueSheet


def _smooth(u: float) -> float:
    u = min(max(u, 0.0), 1.0)
    return u * u * (3.0 - 2.0 * u)


def _ramp(t: float, start: float, end: float) -> float:
    """0 before ``start``, 1 from ``end``, smooth between. Two cues may share a time, so a ramp
    may take no time at all: then it is a step at ``start``.

    >>> _ramp(4.0, 2.0, 6.0), _ramp(1.9, 2.0, 2.0), _ramp(2.0, 2.0, 2.0)
    (0.5, 0.0, 1.0)
    """
    return _smooth((t - start) / (end - start)) if end > start else float(t >= start)


#: How the look moves, in seconds; the cues say when.
FADE_IN = 6.0
LIGHT_TURN = 3.5
PRESENCE_IN = 2.5
PRESENCE_OUT = 4.0
FADE_OUT_TAIL = 0.5
DUST_FALL_IN = 8.0
FLICKER_HOLD = 2.0


def fade(t: float, sheet: CueSheet) -> float:
    """0 black ... 1 picture: up from black at `open`, down to black from `music_end`.

    >>> from thereturn_viz.show.cues import Cue, CueSheet
    >>> from thereturn_viz.show.tempo import TempoMap
    >>> s = CueSheet((Cue("open", 0, ""), Cue("music_end", 90, ""), Cue("end", 95, "")), TempoMap())
    >>> fade(0.0, s), fade(50.0, s), fade(95.0, s)
    (0.0, 1.0, 0.0)
    """
    start = sheet.time_of("open")
    up = _ramp(t, start, start + FADE_IN)
    down_from, end = sheet.time_of("music_end"), sheet.time_of("end")
    down = 1.0 - _ramp(t, down_from, max(down_from + 0.1, end - FADE_OUT_TAIL))
    return up * down if t < end else 0.0


def light_mix(t: float, sheet: CueSheet) -> float:
    """0 warm amber morning ... 1 silver-gold: turns at `lift_apex` and stays."""
    apex = sheet.time_of("lift_apex")
    return _ramp(t, apex, apex + LIGHT_TURN)


def presence(t: float, sheet: CueSheet) -> float:
    """Opacity of the third silhouette: in at `lift_apex`, out after `music_resumes`."""
    apex, resumes = sheet.time_of("lift_apex"), sheet.time_of("music_resumes")
    return _ramp(t, apex, apex + PRESENCE_IN) * (1.0 - _ramp(t, resumes, resumes + PRESENCE_OUT))


#: The framing of the duet, and of the empty studio around them at the end.
ZOOM_DUET = 1.15
ZOOM_ROOM = 0.78


def camera_zoom(t: float, sheet: CueSheet) -> float:
    """Close on the duet; from `pan_out` a slow pull back to the whole room by `last_breath`.

    >>> from thereturn_viz.show.cues import Cue, CueSheet
    >>> from thereturn_viz.show.tempo import TempoMap
    >>> s = CueSheet((Cue("open", 0, ""), Cue("pan_out", 50, ""), Cue("last_breath", 80, ""),
    ...               Cue("end", 95, "")), TempoMap())
    >>> camera_zoom(10.0, s) == ZOOM_DUET, camera_zoom(80.0, s) == ZOOM_ROOM
    (True, True)
    """
    start, end = sheet.time_of("pan_out"), sheet.time_of("last_breath")
    return ZOOM_DUET + (ZOOM_ROOM - ZOOM_DUET) * _ramp(t, start, end)


def camera(t: float, sheet: CueSheet) -> float:
    """The camera's zoom at ``t`` as the cue sheet's ``[[camera]]`` moves key it: held before the
    first and after the last, each move eased from the previous one's zoom; without moves, the
    framing of :func:`camera_zoom`.

    >>> from thereturn_viz.show.cues import CameraMove, Cue, CueSheet
    >>> from thereturn_viz.show.tempo import TempoMap
    >>> lin = lambda u: u
    >>> moves = (CameraMove(10.0, 1.0, lin), CameraMove(20.0, 2.0, lin))
    >>> s = CueSheet((Cue("open", 0, ""), Cue("end", 95, "")), TempoMap(), moves)
    >>> camera(0.0, s), camera(15.0, s), camera(50.0, s)
    (1.0, 1.5, 2.0)
    """
    moves = sheet.camera
    if not moves:
        return camera_zoom(t, sheet)
    if t <= moves[0].t:
        return moves[0].zoom
    for a, b in zip(moves, moves[1:], strict=False):
        if t < b.t:
            u = (t - a.t) / (b.t - a.t) if b.t > a.t else 1.0
            eased = float(np.asarray(b.ease(np.array([u])))[0])
            return a.zoom + (b.zoom - a.zoom) * eased
    return moves[-1].zoom


#: The faces matter from this long before their cue (s) and fade from mattering over FACES_OUT.
FACES_IN = 2.0
FACES_OUT = 3.0


def faces(t: float, sheet: CueSheet) -> float:
    """How much the dancers' faces matter (0..1): as their eyes meet (`eyes_meet`, until
    `conversation`) and through the touch (`touch`, until `music_end`); the glitter thins over
    them then.

    >>> from thereturn_viz.show.cues import Cue, CueSheet
    >>> from thereturn_viz.show.tempo import TempoMap
    >>> cues = [("open", 0), ("eyes_meet", 40), ("conversation", 45), ("touch", 80),
    ...         ("music_end", 90), ("end", 95)]
    >>> s = CueSheet(tuple(Cue(n, t, "") for n, t in cues), TempoMap())
    >>> faces(20.0, s), faces(42.0, s), faces(60.0, s), faces(85.0, s)
    (0.0, 1.0, 0.0, 1.0)
    """
    out = 0.0
    for cue, until in (("eyes_meet", "conversation"), ("touch", "music_end")):
        if cue in sheet and until in sheet:
            at, end = sheet.time_of(cue), sheet.time_of(until)
            out = max(out, _ramp(t, at - FACES_IN, at) * (1.0 - _ramp(t, end, end + FACES_OUT)))
    return out


def reflection_flicker(t: float, sheet: CueSheet) -> float:
    """How strongly the lead's reflection flickers: from `open`, for 2 s at full strength, then
    fading out by `first_note` (at once, if the note comes sooner)."""
    start, end = sheet.time_of("open"), sheet.time_of("first_note")
    return 1.0 - _ramp(t, min(start + FLICKER_HOLD, end), end)


def dust_fall(t: float, sheet: CueSheet) -> float:
    """0 drifting dust ... 1 dust falling slowly like stars: from `pan_out` on.

    >>> from thereturn_viz.show.cues import Cue, CueSheet
    >>> from thereturn_viz.show.tempo import TempoMap
    >>> s = CueSheet((Cue("open", 0, ""), Cue("pan_out", 50, ""), Cue("end", 95, "")), TempoMap())
    >>> dust_fall(10.0, s), dust_fall(90.0, s)
    (0.0, 1.0)
    """
    start = sheet.time_of("pan_out")
    return _ramp(t, start, start + DUST_FALL_IN)
