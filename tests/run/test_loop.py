"""The fixed-step loop: deterministic, interpolating, recomputing on seek, finite, upright."""

from __future__ import annotations

import math

import numpy as np

from thereturn_viz.performance import Performance
from thereturn_viz.physics.stage import DT
from thereturn_viz.show.choreography import Choreography
from thereturn_viz.sound.clock import FrameClock


def _joints(perf: Performance, t: float) -> dict[str, dict[str, tuple[float, float]]]:
    perf.advance_to(t)
    fs = perf.frame_state(t)
    return {d.name: d.joints for d in fs.dancers}


def test_the_lead_stays_finite_and_upright_for_twenty_seconds(choreography: Choreography) -> None:
    perf = Performance(choreography)
    clock = FrameClock(10)
    for _ in range(200):
        t = clock.tick()
        perf.advance_to(t)
        fs = perf.frame_state(t)
        lead = fs.dancer("lead")
        for x, y in lead.joints.values():
            assert math.isfinite(x) and math.isfinite(y)
        assert lead.joints["head"][1] > lead.joints["pelvis"][1] + 0.4
        assert lead.joints["head"][1] > 1.4
        assert -6.0 < lead.joints["pelvis"][0] < 6.0


def test_seeking_back_recomputes_the_same_state(choreography: Choreography) -> None:
    a = Performance(choreography)
    first = _joints(a, 6.0)
    _joints(a, 9.0)
    again = _joints(a, 6.0)  # back in time: rebuilt from t = 0
    assert first == again


def test_steps_are_fixed_whatever_the_frame_rate(choreography: Choreography) -> None:
    coarse, fine = Performance(choreography), Performance(choreography)
    for i in range(1, 11):
        coarse.advance_to(i * 0.5)
    for i in range(1, 301):
        fine.advance_to(i / 60)
    assert coarse.stage.step_index == fine.stage.step_index == round(5.0 / DT)
    assert _joints(coarse, 5.0) == _joints(fine, 5.0)


def test_rendering_interpolates_between_steps(choreography: Choreography) -> None:
    perf = Performance(choreography)
    t0 = 2.0
    perf.advance_to(t0)
    lo = np.array(perf.frame_state(t0 - DT).dancer("lead").segments[0].a)
    hi = np.array(perf.frame_state(t0).dancer("lead").segments[0].a)
    mid = np.array(perf.frame_state(t0 - DT / 2).dancer("lead").segments[0].a)
    assert np.allclose(mid, (lo + hi) / 2)


def test_a_loop_that_falls_behind_drops_time_instead_of_spiralling(
    choreography: Choreography,
) -> None:
    perf = Performance(choreography)
    taken = perf.advance_to(3.0, max_steps=8)
    assert taken == 8
    assert abs(perf.sim_t - 3.0) < DT
    assert perf.dropped_steps == round(3.0 / DT) - 8


def test_a_visitors_hand_stirs_the_dust_where_it_passes(choreography: Choreography) -> None:
    import pygame

    from thereturn_viz.render.compositor import Renderer
    from thereturn_viz.run.loop import Scene

    size = (320, 180)
    still, stirred = (Scene(Performance(choreography), Renderer(size)) for _ in range(2))
    t0 = 30.0
    for scene in (still, stirred):
        scene.frame(t0)
    fps = 30
    for i in range(1, 46):  # a sweep across the middle of the picture, back and forth
        x = 40 + (i * 12) % 240
        stirred.stir(pygame.event.Event(pygame.MOUSEMOTION, pos=(x, 90)))
        for scene in (still, stirred):
            scene.frame(t0 + i / fps)
    a, b = still.last, stirred.last
    assert a is not None and b is not None
    moved = np.linalg.norm(a.dust.xy - b.dust.xy, axis=1)
    assert moved.max() > 0.05  # some specks were pushed
    assert (moved > 1e-6).mean() < 0.5  # only near the hand: most of the room is undisturbed


def test_a_hand_stirs_the_world_point_under_it(choreography: Choreography) -> None:
    import pygame

    from thereturn_viz.render.camera import View
    from thereturn_viz.render.compositor import Renderer
    from thereturn_viz.run.loop import Scene
    from thereturn_viz.state import Camera, FrameState

    stirred: list[tuple[float, float]] = []

    class Recording(Performance):
        def stir(self, x: float, y: float) -> None:
            stirred.append((x, y))

    scene = Scene(Recording(choreography), Renderer((320, 180)))
    scene.last = FrameState(0.0, "open", (), camera=Camera(0.4, 1.55, 0.8))
    scene.stir(pygame.event.Event(pygame.MOUSEMOTION, pos=(250, 60)))
    scene.stir(pygame.event.Event(pygame.FINGERDOWN, x=0.25, y=0.75))  # normalised to 0..1
    view = View(320, 180, scene.last.camera)
    assert stirred == [view.to_world(250, 60), view.to_world(80.0, 135.0)]
    # the point under the hand, on the dancers' plane, is drawn back under the hand
    back = view.to_screen(*stirred[0])
    assert math.isclose(back[0], 250.0, abs_tol=1e-9) and math.isclose(back[1], 60.0, abs_tol=1e-9)


def test_a_seek_in_chunks_takes_the_same_steps_as_one(choreography: Choreography) -> None:
    whole, chunked = Performance(choreography), Performance(choreography)
    whole.advance_to(7.3)
    chunked.advance_to(9.0)  # ahead of the target: catching up goes back to the start
    done = list(chunked.catch_up(7.3, chunk=0.8))
    assert len(done) == math.ceil(7.3 / 0.8)
    assert done == sorted(done) and done[-1] == 1.0
    assert chunked.stage.step_index == whole.stage.step_index
    assert _joints(chunked, 7.3) == _joints(whole, 7.3)
    assert list(chunked.catch_up(7.3)) == []  # already there: nothing to do


def test_target_poses_come_only_when_the_overlay_asks(choreography: Choreography) -> None:
    from thereturn_viz.render.compositor import Renderer
    from thereturn_viz.run.loop import Scene

    scene = Scene(Performance(choreography), Renderer((64, 36)))
    scene.frame(2.0)
    assert scene.last is not None and all(d.target == () for d in scene.last.dancers)
    scene.targets = True  # the D key
    scene.frame(2.1)
    lead = scene.last.dancer("lead")
    assert len(lead.target) == len(lead.segments)
    # the target skeleton is where the figure is steered: near the figure itself
    hip = lead.target[0].a
    assert math.dist(hip, lead.joints["pelvis"]) < 0.2
