"""The windowed player: watch, pause, seek, scrub by cue."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pygame

from ..paths import default_choreography
from ..performance import Performance
from ..render.camera import View
from ..render.compositor import Renderer
from ..show.choreography import Choreography
from ..show.timing import format_clock
from ..sound.clock import AudioClock, WallClock
from .audio import Sound, open_sound
from .headless import INVISIBLE_DRIVERS
from .loop import FrameCollector, Scene
from .posing import PoseEditor
from .watch import LiveChoreography, draw_lines

SEEK_SECONDS = 5.0
#: A seek that takes longer than this (seconds of wall time) shows its progress.
SEEK_NOTE_AFTER = 0.15
#: A resized window is drawn at its new size once it has kept it this long (seconds).
RESIZE_SETTLE = 0.3


@dataclass(frozen=True)
class PlayOptions:
    size: tuple[int, int] = (1280, 720)
    fullscreen: bool = False
    start: float = 0.0
    mute: bool = False
    av_offset_ms: float = 0.0  # the picture runs this late, for the room's sound latency
    film: bool = True
    seed: int = 0
    max_frames: int | None = None  # for tests: stop after this many frames
    choreography_dir: Path | None = None
    #: for tests: each frame moves the piece on this many seconds (no sound, no waiting for
    #: the display), so what a test sees does not depend on how busy the machine is
    step: float | None = None


class Player:
    def __init__(self, choreography: Choreography, options: PlayOptions) -> None:
        self.choreography = choreography
        self.options = options
        self.debug = False
        self.film = options.film
        self.clock: AudioClock | WallClock = WallClock(options.start)
        self.sound: Sound | None = None
        self.running = True
        self.frames = 0
        self.failures = 0
        self._font: pygame.font.Font | None = None
        self._resized_at: float | None = None  # when the window took a size not yet drawn at
        self.collector = FrameCollector()
        folder = options.choreography_dir or default_choreography()
        # saved edits go live while playing, loaded and checked off the drawing loop
        self.live = LiveChoreography(folder, choreography, threaded=True, echo=sys.stderr)
        #: E while paused: bend the joints of the poses in force, save them to poses.toml
        self.editor = PoseEditor(folder, options.seed)

    def _open_window(self) -> pygame.Surface:
        flags = pygame.RESIZABLE
        if self.options.fullscreen:
            return pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
        return pygame.display.set_mode(self.options.size, flags)

    def seek(self, t: float) -> None:
        """Jump to ``t``. Going back re-simulates from the start (a second or more late in the
        piece): the sound holds meanwhile and a thin bar on the last frame shows the way."""
        t = min(max(t, 0.0), self.choreography.sheet.duration)
        was_paused = self.clock.paused
        self.clock.pause()
        began = time.monotonic()
        shown = 0.0
        for done in self.scene.performance.catch_up(t):
            now = time.monotonic()
            if now - began > SEEK_NOTE_AFTER and now - shown > 1 / 30:
                self._seeking(t, done)
                shown = now
        self.clock.seek(t)  # after the catch-up, so the sound restarts with the picture
        self.collector.settle()  # a seek is a pause already: sweep the whole heap now
        if not was_paused:
            self.clock.resume()

    def _seeking(self, t: float, done: float) -> None:
        """A catch-up in progress: a bar along the bottom of the window and where it is going."""
        window = pygame.display.get_surface()
        if window is None:
            return
        pygame.event.pump()  # the window stays responsive to the system while it works
        w, h = window.get_size()
        pygame.draw.rect(window, (20, 18, 16), (0, h - 4, w, 4))
        pygame.draw.rect(window, (235, 215, 170), (0, h - 4, round(w * done), 4))
        if self._font is not None:
            draw_lines(window, self._font, [f"finding {format_clock(t)}"], False)
        pygame.display.flip()

    def cue_jump(self, direction: int) -> None:
        sheet = self.choreography.sheet
        now = self.clock.now()
        times = [c.t for c in sheet.cues]
        if direction > 0:
            later = [t for t in times if t > now + 0.05]
            target = later[0] if later else sheet.duration
        else:
            earlier = [t for t in times if t < now - 1.0]
            target = earlier[-1] if earlier else 0.0
        self.seek(target)

    def handle(self, event: pygame.event.Event) -> None:
        if self.editor.handle(event, self.scene):
            pass
        elif event.type == pygame.QUIT:
            self.running = False
        elif event.type in (pygame.MOUSEMOTION, pygame.FINGERMOTION, pygame.FINGERDOWN):
            self.scene.stir(event)
        elif event.type == pygame.KEYDOWN:
            key = event.key
            if key == pygame.K_ESCAPE:
                self.running = False
            elif key == pygame.K_SPACE:
                if self.clock.paused:
                    self.clock.resume()
                else:
                    self.clock.pause()
                    self.collector.full()
            elif key == pygame.K_RIGHT:
                self.seek(self.clock.now() + SEEK_SECONDS)
            elif key == pygame.K_LEFT:
                self.seek(self.clock.now() - SEEK_SECONDS)
            elif key == pygame.K_PAGEDOWN:
                self.cue_jump(+1)
            elif key == pygame.K_PAGEUP:
                self.cue_jump(-1)
            elif key == pygame.K_d:
                self.debug = not self.debug
            elif key == pygame.K_e:
                self.clock.pause()
                self.editor.enter(self.live.current, self.clock.now(), self.live.problems)
            elif key == pygame.K_g:
                self.film = not self.film
                self.scene.film = self.film
            elif key == pygame.K_f:
                pygame.display.toggle_fullscreen()
            elif key == pygame.K_m and self.sound is not None:
                self.sound.toggle_mute()
        self.scene.targets = self.debug or self.editor.active  # the editor places poses by them

    def run(self) -> int:
        pygame.display.init()
        pygame.font.init()
        pygame.display.set_caption("The Return")
        window = self._open_window()
        if (driver := pygame.display.get_driver()) in INVISIBLE_DRIVERS:
            print(
                f"play: the video driver is '{driver}': nothing will be shown "
                "(the piece runs unseen; reload notes and problems are printed here)",
                file=sys.stderr,
                flush=True,
            )
        self.scene = Scene(
            Performance(self.choreography, self.options.seed),
            Renderer(window.get_size()),
            film=self.film,
            targets=self.debug,
        )
        font = self._font = pygame.font.Font(None, 22)
        window.fill((0, 0, 0))
        self.seek(self.options.start)  # a late --start shows its progress on the black window
        self.scene.warm(self.options.start)  # before the sound starts: no first-frame freeze
        self.collector.settle()
        o = self.options
        if o.step is not None:
            step = o.step
            self.sound = Sound(WallClock(o.start, source=lambda: self.frames * step), None)
        else:
            self.sound = open_sound(self.choreography, o.start, o.mute, o.av_offset_ms)
        self.clock = self.sound.clock
        with self.collector:
            self._frames(window, font)
        self.sound.close()
        self.scene.renderer.close()
        pygame.display.quit()
        return 0

    def _frames(self, window: pygame.Surface, font: pygame.font.Font) -> None:
        """Draw frames until the window closes (or ``max_frames``)."""
        ticker = pygame.time.Clock()
        duration = self.choreography.sheet.duration
        while self.running:
            try:  # a key or a reload that fails is reported; the piece plays on
                for event in pygame.event.get():
                    self.handle(event)
                if (fresh := self.live.poll(time.monotonic())) is not None:
                    self.reload(fresh)
                    duration = fresh.sheet.duration
            except Exception as exc:
                self._failed(exc)
            current = pygame.display.get_surface()
            if current is not None:
                window = current
            self._follow_size(window.get_size())
            t = min(self.clock.now(), duration)
            if t >= duration and not self.clock.paused:
                self.clock.pause()
            try:
                frame = self.scene.frame(self.editor.frame_time(t, self.scene), realtime=True)
                if frame.get_size() != window.get_size():  # mid-resize: stretch the last size
                    frame = pygame.transform.scale(frame, window.get_size())
                window.blit(frame, (0, 0))
                if self.debug and self.scene.last is not None:
                    self._overlay(window, font, ticker.get_fps())
                self.editor.draw(window, font, self.scene.last)
            except Exception as exc:  # never a traceback in the window's face: say it, go on
                self._failed(exc)
            draw_lines(window, font, self.live.lines(time.monotonic()), bool(self.live.problems))
            pygame.display.flip()
            if isinstance(self.clock, AudioClock):
                self.clock.shown()  # how long a frame takes to reach the screen, measured
            self.collector.after_frame(self.scene.spare())
            if self.options.step is None:
                ticker.tick(60)
            self.frames += 1
            if self.options.max_frames is not None and self.frames >= self.options.max_frames:
                break

    def _follow_size(self, size: tuple[int, int]) -> None:
        """A new renderer for a new window size, once the size has settled: a renderer shades
        its room first (most of a second at 1080p), which dragging a corner must not repeat."""
        if size == self.scene.renderer.size:
            self._resized_at = None
            return
        now = time.monotonic()
        if self._resized_at is None:
            self._resized_at = now
        elif now - self._resized_at >= RESIZE_SETTLE:
            self.scene.renderer.close()
            self.scene.renderer = Renderer(size)
            self.scene.warm(self.clock.now())
            self._resized_at = None

    def _failed(self, exc: Exception) -> None:
        """A frame failed: report it once on stderr; the figures go on from their targets."""
        self.failures += 1
        if self.failures == 1:
            import sys
            import traceback

            print(f"play: a frame failed and the figures were reset: {exc!r}", file=sys.stderr)
            traceback.print_exc(limit=4, file=sys.stderr)
        performance = Performance(self.choreography, self.options.seed)
        try:
            performance.start_at(min(max(self.clock.now(), 0.0), self.choreography.sheet.duration))
        except Exception:  # then from the start of the piece's own history
            performance = Performance(self.choreography, self.options.seed)
        self.scene.performance = performance

    def reload(self, fresh: Choreography) -> None:
        """Play ``fresh`` from the current time: the figures join their new targets at once."""
        self.choreography = fresh
        performance = Performance(fresh, self.options.seed)
        # simulating from 0 would take seconds late in the piece: the figures start on their
        # targets at the current time instead
        performance.start_at(min(max(self.clock.now(), 0.0), fresh.sheet.duration))
        self.scene.performance = performance
        self.collector.settle()  # the old performance's cycles, now rather than mid-piece

    def _overlay(self, window: pygame.Surface, font: pygame.font.Font, fps: float) -> None:
        fs = self.scene.last
        assert fs is not None
        view = View(window.get_width(), window.get_height(), fs.camera)
        for d in fs.dancers:  # the target skeleton over the figure that tracks it
            for seg in d.target:  # at the figure's depth, where the picture places it
                a = view.to_screen(*seg.a, d.distance)
                b = view.to_screen(*seg.b, d.distance)
                pygame.draw.line(window, (90, 220, 255), a, b, 2)
                pygame.draw.circle(window, (90, 220, 255), b, 3)
        label = self.choreography.sheet.tempo.label(fs.t)
        lines = [
            f"{format_clock(fs.t)}  cue {fs.cue}  bar {label}  {fps:4.0f} fps",
            *(
                f"{d.name}: err {d.tracking_error_deg:4.1f} deg  resets {d.resets}"
                for d in fs.dancers
            ),
        ]
        if fs.apart:  # a hold that slipped or never closed: the choreography asks too much
            lines.append("HOLD APART: " + ", ".join(fs.apart))
        for i, line in enumerate(lines):
            colour = (255, 110, 90) if line.startswith("HOLD APART") else (240, 230, 200)
            window.blit(font.render(line, True, colour), (12, 10 + 20 * i))
