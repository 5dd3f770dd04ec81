"""The gallery kiosk: fullscreen, no cursor, looping for weeks, never showing a traceback.

Every way it ends is logged (a key, a signal, the loops asked for, a lost display); it tells
systemd how it is doing from its drawing loop (:mod:`.notify`), and keeps the gallery's hours
(:mod:`.hours`).
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pygame

from ..performance import Performance
from ..render.compositor import Renderer
from ..show.choreography import Choreography
from ..sound.clock import AudioClock, FrameClock, WallClock
from .audio import MusicMixer, open_mixer
from .headless import display_loss_reported
from .hours import Hours, describe
from .loop import FrameCollector, Letterbox, Scene
from .notify import Notifier

log = logging.getLogger("thereturn.kiosk")

BLACK_BETWEEN = 3.0
ESC_HOLD = 3.0
HEARTBEAT_EVERY = 5.0
#: Frames a second while the doors are shut: enough for the keys, the signals and the watchdog.
CLOSED_FPS = 4
#: The signals that end the kiosk cleanly: a service manager's stop, Ctrl+C in a terminal, and
#: the terminal (or the session) going away.
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


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
    hours: Hours | None = None  # None: always open


class Kiosk:
    def __init__(
        self,
        choreography: Choreography,
        options: KioskOptions,
        notifier: Notifier | None = None,
    ) -> None:
        self.choreography = choreography
        self.options = options
        self.notifier = notifier or Notifier()  # no systemd: says nothing
        self.loops_done = 0
        self.errors = 0
        self.mixer: MusicMixer | None = None
        self.quit = False
        #: why the kiosk stopped, as the log says it
        self.stopped_by = ""
        self._esc_down_since: float | None = None
        self._last_beat = -math.inf
        self._last_ping = -math.inf
        self._beat_failed = False
        self._shown = False  # the first frame is on the screen (systemd has been told)
        self._open: bool | None = None  # the doors, as last seen (None: not looked yet)
        self.scene: Scene | None = None
        self.collector = FrameCollector()
        self._box: Letterbox | None = None  # with --render: the picture scaled to the screen
        #: the clock that times a held Esc, the heartbeat and the watchdog (tests replace it)
        self.monotonic: Callable[[], float] = time.monotonic
        #: the local time the gallery's hours are read against (tests replace it)
        self.now: Callable[[], datetime] = datetime.now

    def _stop(self, why: str) -> None:
        """End the kiosk after this frame; the log says why (once)."""
        if not self.quit:
            self.stopped_by = why
            log.info("stopping: %s", why)
        self.quit = True

    def _window(self) -> pygame.Surface:
        if self.options.size:
            return pygame.display.set_mode(self.options.size)
        return pygame.display.set_mode((0, 0), pygame.FULLSCREEN)

    def _events(self) -> None:
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                # no visitor can close a fullscreen window: this is the system (SIGTERM from
                # a service manager, SIGINT) or a window manager's deliberate close
                self._stop("asked to stop (a quit from the system or the window manager)")
            elif event.type == pygame.KEYDOWN:
                ctrl = event.mod & pygame.KMOD_CTRL
                if ctrl and event.key == pygame.K_q:
                    self._stop("Ctrl+Q")
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
            self._stop(f"Esc held for {ESC_HOLD:g} s")

    def _alive(self) -> None:
        """After each frame shown: systemd told the kiosk is ready (the first time) and still
        drawing, the heartbeat file rewritten. Called from the drawing loop only, never from a
        thread of its own, so a loop that stops drawing stops all three."""
        if not self._shown:
            self._shown = True
            self.notifier.ready(self._status())
        every = self.notifier.ping_every
        if every is not None and self.monotonic() - self._last_ping >= every:
            self._last_ping = self.monotonic()
            self.notifier.ping()
        self._heartbeat()

    def _status(self) -> str:
        doors = "" if self._open is not False else "closed (outside the gallery's hours); "
        return f"{doors}{self.loops_done} loops played, {self.errors} errors"

    def _heartbeat(self) -> None:
        path = self.options.heartbeat
        if path is None or self.monotonic() - self._last_beat < HEARTBEAT_EVERY:
            return
        self._last_beat = self.monotonic()
        now = time.time()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            part = path.with_name(path.name + ".part")
            part.write_text(f"{now:.0f} loops={self.loops_done} errors={self.errors}\n")
            part.replace(path)  # atomic: a watchdog never reads half a line
        except OSError as exc:
            if not self._beat_failed:
                log.warning("cannot write heartbeat %s: %s", path, exc)
            self._beat_failed = True

    def _remove_heartbeat(self) -> None:
        """On a clean stop: no heartbeat left to look stale (an absent file is a kiosk stopped
        on purpose, a stale one a kiosk that froze or died)."""
        path = self.options.heartbeat
        if path is None:
            return
        for leftover in (path, path.with_name(path.name + ".part")):
            try:
                leftover.unlink(missing_ok=True)
            except OSError as exc:
                log.warning("cannot remove heartbeat %s: %s", leftover, exc)

    def _doors_open(self) -> bool:
        """Whether the gallery is open now (always, without ``--hours``); the log and systemd's
        status say when that changes."""
        hours = self.options.hours
        if hours is None:
            return True
        when = self.now()
        is_open = hours.is_open(when)
        if is_open != self._open:
            first = self._open is None
            self._open = is_open
            change = hours.next_change(when)
            until = f" until {describe(change)}" if change is not None else ""
            if is_open:
                what = "open" if first else "opening: the piece starts from the top"
            else:
                what = "closed" if first else "closing"
                what += ": black and silent"
            log.info("%s%s (hours: %s)", what, until, hours.text)
            self.notifier.status(f"{what}{until}")
        return is_open

    def _silence(self) -> None:
        if self.mixer is not None:
            self.mixer.pause()  # the next loop plays the score again from its start

    def _play_once(self, window: pygame.Surface) -> bool:
        """One loop of the piece; True when played to its end (not stopped, not closed)."""
        screen = window.get_size()
        canvas = self.options.render or screen
        box = self._box = Letterbox(canvas, screen) if canvas != screen else None
        # the renderer (its rooms shaded, its sprites drawn) lasts from loop to loop
        kept = self.scene.renderer if self.scene is not None else None
        renderer = kept if kept is not None and kept.size == canvas else None
        if kept is not None and renderer is None:
            kept.close()  # its worker threads go with it
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
                return True
            self._events()
            if not self._doors_open():
                return False  # closing: the loop's top goes dark and silent
            frame = scene.frame(t, realtime=True)
            if box is not None:
                box.show(frame, window)
            else:
                window.blit(frame, (0, 0))
            pygame.display.flip()
            if isinstance(clock, AudioClock):
                clock.shown()  # how long a frame takes to reach the screen, measured
            self._alive()
            self.collector.after_frame(scene.spare())
            if isinstance(clock, FrameClock):
                clock.tick()
            else:
                ticker.tick(60)
        return False

    def _black(self, window: pygame.Surface) -> None:
        self.collector.full()  # the loop's garbage, in the dark where no frame can drop
        step = self.options.step
        frames = math.ceil(BLACK_BETWEEN / step) if step is not None else None
        until = self.monotonic() + BLACK_BETWEEN
        ticker = pygame.time.Clock()
        while not self.quit and (self.monotonic() < until if frames is None else frames > 0):
            self._events()
            if not self._doors_open():
                return
            window.fill((0, 0, 0))
            pygame.display.flip()
            self._alive()
            if frames is None:
                ticker.tick(30)
            else:
                frames -= 1

    def _closed(self, window: pygame.Surface) -> None:
        """Outside the gallery's hours: black, silent, still answering keys, signals and the
        watchdog, until the doors open or the kiosk is stopped."""
        self._silence()
        self.collector.full()
        ticker = pygame.time.Clock()
        while not self.quit:
            self._events()
            if self._doors_open():
                return
            window.fill((0, 0, 0))
            pygame.display.flip()
            self._alive()
            if self.options.step is None:
                ticker.tick(CLOSED_FPS)

    @contextlib.contextmanager
    def _stopped_by_signals(self) -> Iterator[None]:
        """SIGTERM (a service manager's stop), SIGINT (Ctrl+C) and SIGHUP (the terminal or the
        session gone) end the kiosk at the next frame, cleanly: the log says which, systemd is
        told it is a stop, the sound device and the screen are let go. (SIGHUP is not a reload:
        a kiosk has nothing to reload that a restart would not do better.)"""

        def stop(signum: int, _frame: object) -> None:
            self._stop(f"asked to stop ({signal.Signals(signum).name})")

        kept = {}
        for sig in STOP_SIGNALS:
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
        with display_loss_reported(pygame.display.get_driver(), self._display_lost):
            log.info("kiosk started at %dx%d (process %d)", *window.get_size(), os.getpid())
            if self.options.step is None:
                self.mixer = open_mixer(self.choreography, self.options.mute, log.warning)
            with self.collector:
                try:
                    self._loops(window)
                finally:  # the renderer's worker threads end with the kiosk
                    if self.scene is not None:
                        self.scene.renderer.close()
            log.info(
                "kiosk stopped after %d loops, %d errors (%s)",
                self.loops_done,
                self.errors,
                self.stopped_by,
            )
            self.notifier.stopping(f"stopping: {self.stopped_by}")
            if self.mixer is not None:
                self.mixer.close()
        pygame.display.quit()
        self._remove_heartbeat()
        self.notifier.close()
        return 0

    def _display_lost(self) -> None:
        """Called from inside the X library when the X server is gone; the process ends as
        soon as this returns (exit 1), so this is the kiosk's last word."""
        where = os.environ.get("DISPLAY", "")
        log.critical(
            "lost the display (the X server at DISPLAY=%s closed the connection) after %d "
            "loops, %d errors: the kiosk ends with exit 1",
            where,
            self.loops_done,
            self.errors,
        )

    def _loops(self, window: pygame.Surface) -> None:
        limit = self.options.loops
        while not self.quit:
            try:
                if not self._doors_open():
                    self._closed(window)
                    continue
                if self._play_once(window):
                    self.loops_done += 1
                    self._loop_played()
            except Exception:  # the kiosk must keep running: log, then start the piece again
                self.errors += 1
                log.exception("the piece failed (error %d); restarting it", self.errors)
                self._drop_scene()  # nothing of the failed loop is kept
                window = self._recover_window(window)
            if limit is not None and self.loops_done >= limit:
                self.stopped_by = f"played the {limit} loop{'s' if limit != 1 else ''} asked for"
                log.info("stopping: %s", self.stopped_by)
                break
            if self.quit or self._open is False:
                continue  # stopped, or closed part way: the loop's top goes dark
            try:
                self._black(window)
            except Exception:
                self.errors += 1
                log.exception("the pause between loops failed")
                window = self._recover_window(window)

    def _drop_scene(self) -> None:
        """Forget the scene, closing its renderer (and the renderer's worker threads)."""
        if self.scene is not None:
            self.scene.renderer.close()
            self.scene = None

    def _loop_played(self) -> None:
        """A loop played to its end (benchmarks/soak.py measures here)."""
        log.info("loop %d played (%d errors so far)", self.loops_done, self.errors)
        self.notifier.status(self._status())

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
