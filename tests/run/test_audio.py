"""The mixer side (run/audio.py): the sound drives the clock, or the wall clock says why not."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pygame
import pytest
from numpy.typing import NDArray

from thereturn_viz.cli import main
from thereturn_viz.run import audio
from thereturn_viz.show.choreography import Choreography
from thereturn_viz.show.cues import CueSheet
from thereturn_viz.sound.clock import AudioClock, WallClock

Rendered = tuple[int, NDArray[np.int16]]


def test_mute_uses_the_wall_clock_and_says_so_once(choreography: Choreography) -> None:
    audio.forget_notices()
    heard: list[str] = []
    for _ in range(3):
        sound = audio.open_sound(choreography, 12.0, mute=True, say=heard.append)
        assert isinstance(sound.clock, WallClock) and sound.mixer is None
        assert sound.clock.now() >= 12.0
    assert len(heard) == 1 and "wall clock" in heard[0]


def test_no_audio_device_falls_back_to_the_wall_clock(
    choreography: Choreography, rendered: Rendered, monkeypatch: pytest.MonkeyPatch
) -> None:
    audio.forget_notices()
    pygame.mixer.quit()
    monkeypatch.setenv("SDL_AUDIODRIVER", "no-such-device")
    heard: list[str] = []
    sound = audio.open_sound(choreography, 0.0, say=heard.append)
    assert isinstance(sound.clock, WallClock)
    assert len(heard) == 1 and "no audio device" in heard[0]


def test_the_score_plays_from_where_the_picture_is(
    choreography: Choreography, rendered: Rendered, sheet: CueSheet
) -> None:
    start = sheet.time_of("together")
    sound = audio.open_sound(choreography, start, av_offset_ms=50.0)
    try:
        assert isinstance(sound.clock, AudioClock) and sound.mixer is not None
        assert pygame.mixer.get_init() == (48_000, -16, 2)
        assert pygame.mixer.music.get_busy()
        assert sound.clock.now() == pytest.approx(start, abs=0.1)
        sound.clock.seek(sheet.time_of("after"))
        heard = sound.mixer.position()
        assert heard is not None and heard == pytest.approx(sheet.time_of("after") + 0.05, abs=0.1)
        sound.clock.pause()
        assert sound.mixer.position() is None and not sound.mixer.muted
        sound.toggle_mute()
        assert sound.mixer.muted and pygame.mixer.music.get_volume() == 0.0
    finally:
        sound.close()


def test_loudness_plot_shows_the_silence(rendered: Rendered, sheet: CueSheet) -> None:
    rate, x = rendered
    surf = audio.draw_loudness(x, rate, sheet, (800, 300))
    assert surf.get_size() == (800, 300)

    # columns in the plot: x = 56 + t / duration * (800 - 72); sample just above the axis
    def column_fill(t: float) -> int:
        col = 56 + round(t / sheet.duration * (800 - 72))
        return sum(1 for y in range(40, 150) if surf.get_at((col, y))[:3] != audio.PAPER)

    middle = (sheet.time_of("lift_apex") + sheet.time_of("music_resumes")) / 2
    together = (sheet.time_of("together") + sheet.time_of("lift_apex")) / 2
    assert column_fill(together) > column_fill(middle) + 30
    assert abs(column_fill(sheet.time_of("first_note") / 2) - column_fill(middle)) <= 2


def test_score_command_writes_the_wav_and_the_plot(tmp_path: Path, rendered: Rendered) -> None:
    rate, x = rendered
    wav, png = tmp_path / "score.wav", tmp_path / "score.png"
    assert main(["score", str(wav), "--plot", str(png)]) == 0
    with wave.open(str(wav), "rb") as w:
        assert (w.getframerate(), w.getnchannels(), w.getnframes()) == (rate, 2, len(x))
    assert pygame.image.load(str(png)).get_size() == (1600, 520)
