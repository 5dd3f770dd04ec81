"""A hold whose bodies are apart while it is held is flagged in the FrameState, the trace row
and (from the FrameState) the debug overlay; a hold that closes is not."""

from __future__ import annotations

import dataclasses

from thereturn_viz.paths import default_choreography
from thereturn_viz.performance import Performance
from thereturn_viz.run.trace import trace_row
from thereturn_viz.show.choreography import Contact
from thereturn_viz.show.loader import load_choreography


def _frames(
    contact_at: str, seconds: float
) -> list[tuple[float, tuple[str, ...], dict[str, object]]]:
    chor = load_choreography(default_choreography())
    t0 = chor.sheet.time_of(contact_at)
    hold = Contact("hands", t0 + 2.0, t0 + 5.0, "r_hand", "l_hand")
    chor = dataclasses.replace(chor, contacts=(hold, *chor.contacts))
    perf = Performance(chor, 0)
    perf.start_at(t0 + 1.8)
    out = []
    for dt in (0.2, 0.6, seconds):
        perf.advance_to(t0 + 2.0 + dt)
        fs = perf.frame_state(t0 + 2.0 + dt, targets=False)
        out.append((dt, fs.apart, trace_row(fs, 0, 0.0)))
    return out


def test_a_hold_written_where_they_stand_two_meters_apart_is_flagged_after_its_lead_in() -> None:
    (_, first, row0), (_, later, row1), (_, last, _) = _frames("eyes_meet", 1.0)
    assert first == () and "apart" not in row0  # in its lead-in the arm is still closing
    assert later == last == ("hands",) and row1["apart"] == ["hands"]


def test_the_shipped_hand_hold_at_together_is_not_flagged() -> None:
    chor = load_choreography(default_choreography())
    t = chor.sheet.time_of("together")
    perf = Performance(chor, 0)
    perf.start_at(t - 0.2)
    perf.advance_to(t + 0.8)
    fs = perf.frame_state(t + 0.8, targets=False)
    assert fs.contacts == ("hands",) and fs.apart == ()
    assert "apart" not in trace_row(fs, 0, 0.0)
