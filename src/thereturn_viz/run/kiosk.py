"""The gallery kiosk: fullscreen, no cursor, looping for weeks, never showing a traceback."""

from __future__ import annotations

import contextlib
import logging
import math
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pygame

from ..performance import Performance
from ..render.compositor import Renderer
from ..show.choreography import Choreography
from ..sound.clock import AudioClock, FrameClock, WallClock
from .audio import MusicMixer, open_mixer
from .loop import FrameCollector, Letterbox, Scene

log = logging.getLogger("thereturn.kiosk")

BLACK_BETWEEN = 3.0
ESC_HOLD = 3.0
HEARTBEAT_EVERY = 5.0


@dataclass(frozen=True)
class KioskOptions:
    loops: int | None = None
    heartbeat: Path | None = None
    film: bool = True
    seed: int = 0
    size: tuple[int, int] | None = None  # None: the display's native resolution
    render: tuple[int, int] | None = None  # drawn at this size, scaled to the screen by SDL
    #: for tests: each frame moves the piece on this many seconds (no sound, no waiting for
    #: the display), so a loop is a fixed number of frames whatever the machine's load
    step: float | None = None
    mute: bool = False
    av_offset_ms: float = 0.0


class Kiosk:
    def __init__(self, choreography: Choreography, options: KioskOptions) -> None:
        self.choreography = choreography
        self.options = options
        self.loops_done = 0
        self.errors = 0
        self.mixer: MusicMixer | None = None
        self.quit = False
        self._esc_down_since: float | None = None
        self._last_beat = 0.0
        self._beat_failed = False
        self.scene: Scene | None = None
        self.collector = FrameCollector()
        self._box: Letterbox | None = None  # with --render: the picture scaled to the screen
        #: the wall clock that times a held Esc and the heartbeat (tests replace it)
        self.monotonic = time.monotonic

    def _window(self) -> pygame.Surface:
        if self.options.size:
            return pygame.display.set_mode(self.options.size)
        return pygame.display.set_mode((0, 0), pygame.FULLSCREEN)

    def _events(self) -> None:
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                # no visitor can close a fullscreen window: this is the system (SIGTERM from
                # a service manager, SIGINT) or a window manager's deliberate close
                log.info("asked to stop")
                self.quit = True
            elif event.type == pygame.KEYDOWN:
                ctrl = event.mod & pygame.KMOD_CTRL
                if ctrl and event.key == pygame.K_q:
                    self.quit = True
                elif ctrl and event.key == pygame.K_m and self.mixer is not None:
                    self.mixer.toggle_mute()  # Ctrl+M, like Ctrl+Q: a visitor's key does nothing
                elif event.key == pygame.K_ESCAPE:
                    self._esc_down_since = self.monotonic()
            elif event.type == pygame.KEYUP and event.key == pygame.K_ESCAPE:
                self._esc_down_since = None
            elif self.scene is not None:  # a visitor's hand stirs the dust
                self.scene.stir(self._box.to_canvas(event) if self._box else event)
        held = self._esc_down_since
        if held is not None and self.monotonic() - held >= ESC_HOLD:
            self.quit = True

    def _heartbeat(self) -> None:
        path = self.options.heartbeat
        now = time.time()
        if path is None or now - self._last_beat < HEARTBEAT_EVERY:
            return
        self._last_beat = now
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            part = path.with_name(path.name + ".part")
            part.write_text(f"{now:.0f} loops={self.loops_done} errors={self.errors}\n")
            part.replace(path)  # atomic: a watchdog never reads half a line
        except OSError as exc:
            if not self._beat_failed:
                log.warning("cannot write heartbeat %s: %s", path, exc)
            self._beat_failed = True

    def _play_once(self, window: pygame.Surface) -> None:
        screen = window.get_size()
        canvas = self.options.render or screen
        box = self._box = Letterbox(canvas, screen) if canvas != screen else None
        # the renderer (its rooms shaded, its sprites drawn) lasts from loop to loop
        kept = self.scene.renderer if self.scene is not None else None
        renderer = kept if kept is not None and kept.size == canvas else None
        scene = self.scene = Scene(
            Performance(self.choreography, self.options.seed),
            renderer or Renderer(canvas),
            film=self.options.film,
        )
        if renderer is None:  # a new renderer: what it keeps is drawn now, in the dark
            scene.warm(0.0)
        self.collector.settle()  # the last loop's garbage swept, this one's start frozen
        window.fill((0, 0, 0))  # the bars around a letterboxed picture
        duration = self.choreography.sheet.duration
        step = self.options.step
        clock: AudioClock | WallClock | FrameClock = WallClock(0.0)
        if step is not None:
            clock = FrameClock(1.0 / step)
        elif self.mixer is not None:  # the sound is the master; each loop restarts it
            clock = AudioClock(self.mixer, 0.0, offset=self.options.av_offset_ms / 1000.0)
        ticker = pygame.time.Clock()
        while not self.quit:
            t = clock.now()
            if t >= duration:
                break
            self._events()
            frame = scene.frame(t, realtime=True)
            if box is not None:
                box.show(frame, window)
            else:
                window.blit(frame, (0, 0))
            pygame.display.flip()
            if isinstance(clock, AudioClock):
                clock.shown()  # how long a frame takes to reach the screen, measured
            self._heartbeat()
            self.collector.after_frame(scene.spare())
            if isinstance(clock, FrameClock):
                clock.tick()
            else:
                ticker.tick(60)

    def _black(self, window: pygame.Surface) -> None:
        self.collector.full()  # the loop's garbage, in the dark where no frame can drop
        step = self.options.step
        frames = math.ceil(BLACK_BETWEEN / step) if step is not None else None
        until = self.monotonic() + BLACK_BETWEEN
        ticker = pygame.time.Clock()
        while not self.quit and (self.monotonic() < until if frames is None else frames > 0):
            self._events()
            window.fill((0, 0, 0))
            pygame.display.flip()
            self._heartbeat()
            if frames is None:
                ticker.tick(30)
            else:
                frames -= 1

    @contextlib.contextmanager
    def _stopped_by_signals(self) -> Iterator[None]:
        """SIGTERM (a service manager's stop) and SIGINT end the kiosk at the next frame,
        cleanly: the log says so, the sound device and the screen are let go."""

        def stop(signum: int, _frame: object) -> None:
            log.info("asked to stop (%s)", signal.Signals(signum).name)
            self.quit = True

        kept = {}
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(ValueError):  # not the main thread: leave signals alone
                kept[sig] = signal.signal(sig, stop)
        try:
            yield
        finally:
            for sig, handler in kept.items():
                signal.signal(sig, handler)

    def run(self) -> int:
        with self._stopped_by_signals():
            return self._run()

    def _run(self) -> int:
        pygame.display.init()
        pygame.display.set_caption("The Return")
        window = self._window()
        pygame.mouse.set_visible(False)
        log.info("kiosk started at %dx%d", *window.get_size())
        if self.options.step is None:
            self.mixer = open_mixer(self.choreography, self.options.mute, log.warning)
        with self.collector:
            self._loops(window)
        log.info("kiosk stopped after %d loops, %d errors", self.loops_done, self.errors)
        if self.mixer is not None:
            self.mixer.close()
        pygame.display.quit()
        return 0

    def _loops(self, window: pygame.Surface) -> None:
        while not self.quit:
            try:
                self._play_once(window)
                if self.quit:  # stopped part way: not a loop played
                    break
                self.loops_done += 1
            except Exception:  # the kiosk must keep running: log, then start the piece again
                self.errors += 1
                log.exception("the piece failed (error %d); restarting it", self.errors)
                self.scene = None  # nothing of the failed loop is kept
                window = self._recover_window(window)
            if self.options.loops is not None and self.loops_done >= self.options.loops:
                break
            try:
                self._black(window)
            except Exception:
                self.errors += 1
                log.exception("the pause between loops failed")
                window = self._recover_window(window)

    def _recover_window(self, window: pygame.Surface) -> pygame.Surface:
        """After an error, make sure there is still a window to draw into."""
        surface = pygame.display.get_surface()
        if surface is not None:
            return surface
        try:
            pygame.display.quit()
            pygame.display.init()
            window = self._window()
            pygame.mouse.set_visible(False)
        except pygame.error:
            log.exception("cannot reopen the display; trying again after the pause")
            time.sleep(BLACK_BETWEEN)  # nothing to draw into: wait before the next attempt
        return window
