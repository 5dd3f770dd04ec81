"""The fixed-step loop: deterministic, interpolating, recomputing on seek, finite, upright."""

from __future__ import annotations

import math

import numpy as np
import pytest

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


def test_warming_a_scene_leaves_the_pixels_of_every_look_the_same(
    choreography: Choreography,
) -> None:
    """The throwaway frames of :meth:`Scene.warm` fill caches keyed by what they draw: a
    warmed scene and a cold one draw every look alike, in any order."""
    import dataclasses

    import pygame

    from thereturn_viz.render.compositor import Renderer
    from thereturn_viz.run.loop import WARM_LOOKS, Scene
    from thereturn_viz.state import Camera

    size = (96, 54)
    warm, cold = (Scene(Performance(choreography), Renderer(size)) for _ in range(2))
    t = 2.0
    for scene in (warm, cold):
        scene.performance.advance_to(t)
    warm.warm(t)
    shown = warm.performance.frame_state(t)
    looks = [
        dataclasses.replace(shown, light_mix=mix, fade=fade, presence=presence)
        for mix, fade, presence in (*WARM_LOOKS, (0.25, 0.8, 0.3), (1.0, 1.0, 0.0))
    ]
    looks.append(dataclasses.replace(shown, camera=Camera(zoom=0.8), light_mix=1.0))
    for look in [*looks, *reversed(looks)]:
        a = pygame.image.tobytes(warm.renderer.draw(look), "RGB")
        b = pygame.image.tobytes(cold.renderer.draw(look), "RGB")
        assert a == b, look
    for scene in (warm, cold):
        scene.renderer.close()


def test_warming_shades_the_room_in_both_lights_before_the_first_frame(
    choreography: Choreography, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The turn of the light at the lift finds its room shaded: no frame of the piece waits."""
    import dataclasses

    from thereturn_viz.render import studio
    from thereturn_viz.render.compositor import Renderer
    from thereturn_viz.run.loop import Scene

    shaded: list[float] = []
    real = studio.soft_room

    def counting(size: tuple[int, int], x: float, y: float, mix: float) -> object:
        shaded.append(mix)
        return real(size, x, y, mix)

    monkeypatch.setattr(studio, "soft_room", counting)
    with Renderer((64, 36)) as renderer:
        scene = Scene(Performance(choreography), renderer)
        scene.warm(0.0)
        assert sorted(shaded) == [0.0, 1.0]
        for t in (0.0, 0.5, 1.0):
            scene.frame(t, realtime=True)
        fs = scene.last
        assert fs is not None
        for mix in (0.0, 0.3, 1.0):
            renderer.draw(dataclasses.replace(fs, light_mix=mix))
        assert sorted(shaded) == [0.0, 1.0]  # nothing shaded again


def _young_garbage(n: int) -> list[list[int]]:
    """``n`` new containers, kept alive: the young generation's count goes up by as many."""
    return [[i] for i in range(n)]


def test_the_collector_sweeps_the_young_only_in_a_frame_with_time_for_it() -> None:
    import gc

    from thereturn_viz.run.loop import FrameCollector

    was = gc.isenabled()
    collector = FrameCollector()
    with collector:
        assert not gc.isenabled()
        gc.collect(1)
        assert not collector.after_frame(0.0)  # nothing piled up
        kept = _young_garbage(2 * FrameCollector.YOUNG)
        assert gc.get_count()[0] >= FrameCollector.YOUNG
        assert not collector.after_frame(0.0)  # no time left in this frame: later
        assert gc.get_count()[0] >= FrameCollector.YOUNG
        assert collector.after_frame(1.0)  # a frame with time: swept
        assert gc.get_count()[0] < FrameCollector.YOUNG
        assert collector.per_object > 0.0  # what a sweep cost, for the next frame's choice
        collector.YOUNG_LIMIT = 3 * FrameCollector.YOUNG
        more = _young_garbage(4 * FrameCollector.YOUNG)
        assert collector.after_frame(0.0)  # too many waiting: swept whatever the time
        del kept, more
    assert gc.isenabled() == was


def test_settling_collects_what_was_frozen_and_let_go_since() -> None:
    import gc
    import weakref

    from thereturn_viz.run.loop import FrameCollector

    class Node:
        def __init__(self) -> None:
            self.me = self  # a cycle: only the collector frees it

    with FrameCollector():
        node = Node()
        gone = weakref.ref(node)
        FrameCollector.settle()
        assert gc.get_freeze_count() > 0  # what is loaded is frozen out of the sweeps
        del node
        FrameCollector.full()
        assert gone() is not None  # frozen: a sweep does not look at it
        FrameCollector.settle()
        assert gone() is None  # let go since the last settle: collected now
    assert gc.get_freeze_count() == 0  # the loop is over: nothing stays frozen


def test_the_real_time_frames_build_the_next_block_of_targets_before_it_is_due(
    choreography: Choreography,
) -> None:
    """play and kiosk draw through Scene.frame: in real time it works ahead on the physics'
    next block (due at 10 s) in the frames before, so no step has to build it whole."""
    from thereturn_viz.physics.stage import BLOCK
    from thereturn_viz.render.compositor import Renderer
    from thereturn_viz.run.loop import Scene

    due = BLOCK * DT
    with Renderer((32, 18)) as renderer:
        live, still = (Scene(Performance(choreography), renderer) for _ in range(2))
        for scene, realtime in ((live, True), (still, False)):
            for i in range(round((due - 1.5) * 60), round((due - 0.05) * 60)):
                scene.frame(i / 60, realtime=realtime)
        assert not live.performance.prefetch()  # nothing left to build: it is ready
        assert still.performance.prefetch()  # without real time, it waits for its step


def test_real_time_frames_make_the_renderers_caches_ahead_and_draw_the_same(
    choreography: Choreography, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In real time Scene.frame also has the renderer make, in the frame's spare time, what the
    coming frames would make on first sight (the next grain's look, the room ahead): the
    pictures are the bytes of frames drawn without it."""
    import pygame

    from thereturn_viz.render.compositor import Renderer
    from thereturn_viz.run import loop
    from thereturn_viz.run.loop import Scene

    monkeypatch.setattr(loop, "FRAME_BUDGET", 10.0)  # every frame has time to spare, however busy

    with Renderer((48, 27)) as a, Renderer((48, 27)) as b:
        live, still = Scene(Performance(choreography), a), Scene(Performance(choreography), b)
        for scene in (live, still):  # a seek, as play's start: real time drops steps past 8
            scene.performance.advance_to(20.0)
        for i in range(30):
            t = 20.0 + i / 60
            shown = pygame.image.tobytes(live.frame(t, realtime=True), "RGBX")
            assert shown == pygame.image.tobytes(still.frame(t), "RGBX"), i
        assert "ahead" in live.timings
        film = a.film(0)
        assert film._next is not None  # the next grain frame's look, made ahead
        assert b.film(0)._next is None  # without real time, nothing is made ahead
