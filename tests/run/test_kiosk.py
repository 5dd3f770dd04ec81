"""The kiosk's keys: visitors' presses do nothing; Ctrl+Q, or Esc held, stops it."""

from __future__ import annotations

import os
import signal

import numpy as np
import pygame
import pytest

from thereturn_viz.run import kiosk as kiosk_module
from thereturn_viz.run.kiosk import Kiosk, KioskOptions
from thereturn_viz.run.loop import Letterbox
from thereturn_viz.show.choreography import Choreography

#: Seconds of the piece per frame: a loop is 100 frames, however busy the machine.
STEP = 4.0


def _key(kind: int, key: int, mod: int = 0) -> pygame.event.Event:
    return pygame.event.Event(kind, key=key, mod=mod)


class _Scripted(Kiosk):
    """Posts the events scripted for each look at the event queue, then reads them as usual."""

    def __init__(self, choreography: Choreography, script: dict[int, list[pygame.event.Event]]):
        super().__init__(choreography, KioskOptions(loops=1, size=(64, 36), step=STEP))
        self.script = script
        self.looks = 0

    def _events(self) -> None:
        self.looks += 1
        for event in self.script.get(self.looks, []):
            pygame.event.post(event)
        super()._events()


def test_a_visitors_keys_and_a_short_esc_do_nothing(choreography: Choreography) -> None:
    script = {
        2: [_key(pygame.KEYDOWN, pygame.K_a), _key(pygame.KEYDOWN, pygame.K_SPACE)],
        3: [_key(pygame.KEYDOWN, pygame.K_q), _key(pygame.KEYDOWN, pygame.K_m)],  # no Ctrl
        4: [_key(pygame.KEYDOWN, pygame.K_ESCAPE)],
        5: [_key(pygame.KEYUP, pygame.K_ESCAPE)],  # a tap, not a hold
    }
    kiosk = _Scripted(choreography, script)
    assert kiosk.run() == 0
    assert kiosk.looks > 5 and not kiosk.quit
    assert kiosk.loops_done == 1  # played to the end of its one loop


def test_ctrl_q_stops_the_kiosk(choreography: Choreography) -> None:
    kiosk = _Scripted(choreography, {3: [_key(pygame.KEYDOWN, pygame.K_q, pygame.KMOD_LCTRL)]})
    assert kiosk.run() == 0
    assert kiosk.quit and kiosk.loops_done == 0 and kiosk.looks == 3


def test_esc_held_stops_the_kiosk(choreography: Choreography) -> None:
    kiosk = _Scripted(choreography, {2: [_key(pygame.KEYDOWN, pygame.K_ESCAPE)]})
    kiosk.monotonic = lambda: kiosk.looks * 0.1  # a tenth of a second a look
    assert kiosk.run() == 0
    assert kiosk.quit and kiosk.loops_done == 0
    # held from the second look until ESC_HOLD had passed, and not a look longer
    assert kiosk.looks == 2 + round(kiosk_module.ESC_HOLD / 0.1)


def test_render_draws_at_a_set_size_scaled_to_the_screen(choreography: Choreography) -> None:
    # a 160x100 "screen" (16:10) showing a 16:9 picture drawn at 80x45: bars above and below
    options = KioskOptions(loops=1, size=(160, 100), render=(80, 45), step=STEP)
    shown: list[np.ndarray] = []

    class Watching(Kiosk):
        def _heartbeat(self) -> None:
            surface = pygame.display.get_surface()
            last = self.scene.last if self.scene is not None else None
            if surface is not None and last is not None and last.fade > 0.9 and not shown:
                shown.append(pygame.surfarray.array3d(surface).copy())  # lit: past the fade in
            super()._heartbeat()

    kiosk = Watching(choreography, options)
    assert kiosk.run() == 0
    assert kiosk.loops_done == 1 and kiosk.errors == 0
    assert kiosk.scene is not None and kiosk.scene.renderer.size == (80, 45)
    assert shown, "a frame past the fade in was shown"
    img = shown[0].astype(int)  # (x, y, rgb)
    assert img[:, :5].max() == 0 and img[:, -5:].max() == 0  # the bars: 5 rows of black
    assert img[:, 10:90].mean() > 10  # the picture fills the 160x90 between them


def test_letterbox_fits_centres_and_maps_a_hand_back() -> None:
    box = Letterbox((1920, 1080), (1280, 800))
    assert box.rect == pygame.Rect(0, 40, 1280, 720)
    assert Letterbox((1920, 1080), (3840, 2160)).rect == pygame.Rect(0, 0, 3840, 2160)
    moved = box.to_canvas(pygame.event.Event(pygame.MOUSEMOTION, pos=(640, 400)))
    assert moved.pos == (960, 540)  # the middle of the screen is the middle of the picture
    touched = box.to_canvas(pygame.event.Event(pygame.FINGERDOWN, x=0.0, y=0.05))
    assert touched.x == 0.0 and touched.y == pytest.approx(0.0)  # the picture's top left


def test_a_bad_render_size_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    from thereturn_viz.cli import main

    assert main(["kiosk", "--render", "4kx2k", "--loops", "1"]) == 2
    assert "--render 4kx2k: expected WIDTHxHEIGHT" in capsys.readouterr().err


def test_sigterm_stops_the_kiosk_cleanly(choreography: Choreography) -> None:
    # a service manager's stop: the kiosk finishes its frame, lets go of the screen, returns 0
    before = signal.getsignal(signal.SIGTERM)

    class Signalled(_Scripted):
        def _events(self) -> None:
            if self.looks == 2:
                os.kill(os.getpid(), signal.SIGTERM)
            super()._events()

    kiosk = Signalled(choreography, {})
    assert kiosk.run() == 0
    assert kiosk.quit and kiosk.loops_done == 0 and kiosk.looks == 3
    assert signal.getsignal(signal.SIGTERM) is before  # the handler is put back


def test_a_quit_from_the_system_stops_the_kiosk(choreography: Choreography) -> None:
    # SIGTERM from a service manager, or SIGINT, reaches SDL's queue as a QUIT event
    kiosk = _Scripted(choreography, {3: [pygame.event.Event(pygame.QUIT)]})
    assert kiosk.run() == 0
    assert kiosk.quit and kiosk.loops_done == 0 and kiosk.looks == 3
