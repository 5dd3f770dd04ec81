"""The kiosk's keys: visitors' presses do nothing; Ctrl+Q, or Esc held, stops it."""

from __future__ import annotations

import logging

import pygame
import pytest

from thereturn_viz.run import kiosk as kiosk_module
from thereturn_viz.run.kiosk import Kiosk, KioskOptions
from thereturn_viz.show.choreography import Choreography


def _key(kind: int, key: int, mod: int = 0) -> pygame.event.Event:
    return pygame.event.Event(kind, key=key, mod=mod)


class _Scripted(Kiosk):
    """Posts the events scripted for each look at the event queue, then reads them as usual."""

    def __init__(self, choreography: Choreography, script: dict[int, list[pygame.event.Event]]):
        super().__init__(choreography, KioskOptions(loops=1, size=(64, 36), speed=800))
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


def test_esc_held_stops_the_kiosk(
    choreography: Choreography, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kiosk_module, "ESC_HOLD", 0.2)  # a loop here lasts about half a second
    kiosk = _Scripted(choreography, {2: [_key(pygame.KEYDOWN, pygame.K_ESCAPE)]})
    assert kiosk.run() == 0
    assert kiosk.quit and kiosk.loops_done == 0


def test_render_draws_at_a_set_size_scaled_to_the_screen(
    choreography: Choreography, caplog: pytest.LogCaptureFixture
) -> None:
    kiosk = Kiosk(choreography, KioskOptions(loops=1, render=(80, 45), speed=800))
    with caplog.at_level(logging.WARNING, logger="thereturn.kiosk"):
        assert kiosk.run() == 0
    # the dummy display has no hardware scaling: the kiosk's log says so (not a bare warning)
    assert any(r.getMessage().startswith("--render: ") for r in caplog.records)
    assert kiosk.loops_done == 1 and kiosk.errors == 0
    assert kiosk.scene is not None and kiosk.scene.renderer.size == (80, 45)


def test_a_bad_render_size_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    from thereturn_viz.cli import main

    assert main(["kiosk", "--render", "4kx2k", "--loops", "1"]) == 2
    assert "--render 4kx2k: expected WIDTHxHEIGHT" in capsys.readouterr().err
