"""The fixed-step loop shared by the player, the kiosk and export.

Physics and air advance on their own 120 Hz step (see :mod:`..performance`); the picture is drawn
at whatever rate the caller asks, interpolated between the last two steps. In real time at most
``MAX_STEPS`` are taken per frame; beyond that the time is dropped rather than spiralling.
"""

from __future__ import annotations

import dataclasses
import gc
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType

import pygame

from ..performance import Performance
from ..render.camera import View
from ..render.compositor import Renderer
from ..show.choreography import Choreography
from ..state import FrameState
from .annotate import Marks
from .follow import Follow

MAX_STEPS = 8
#: The frame a real-time loop aims at (s): what a frame leaves of it, it may spend working ahead.
FRAME_BUDGET = 1.0 / 60.0
#: Kept free of that work for the flip and the event loop (s).
FRAME_MARGIN = 0.002
#: How far ahead (s of the piece) the real-time loop makes the room the camera is moving to.
LOOK_AHEAD = 0.5
#: The looks of the piece that build something the renderer keeps the first time a frame
#: shows them (the room in each light, the crossfade between, the figures' colours and the
#: dust's dots in each, the presence, the film's plates and the fade's path through them):
#: (light's mix, fade, presence).
WARM_LOOKS = ((0.0, 1.0, 0.0), (1.0, 1.0, 1.0), (0.5, 1.0, 0.5), (0.0, 0.5, 0.0))


class FrameCollector:
    """Python's cycle collector kept to the frame's pace, for the real-time loops.

    Left to itself, a full collection (10 ms of CPU at 1080p here, 50000 objects; none with
    the loaded heap frozen) comes whenever allocation counts say so, mid-piece: a dropped
    frame. Inside ``with FrameCollector()`` the automatic collector is off. :meth:`after_frame`
    sweeps the young generations in a frame that has the time for it (at most about a
    millisecond over the whole piece here, the most while the physics builds its next block of
    targets), and :meth:`settle` the whole heap, where a pause costs nothing: before the first
    frame, between kiosk loops, on a seek or a reload.
    """

    #: container allocations (net) before the young generations are swept
    YOUNG = 700
    #: ... and past this many they are swept whatever time the frame has left (about 3 ms
    #: here; a whole-piece pass never saw more than 3000 waiting)
    YOUNG_LIMIT = 10_000

    def __init__(self) -> None:
        #: seconds a sweep takes per young object: the most seen, slowly forgotten
        self.per_object = 1e-7
        self._was_enabled = True

    def __enter__(self) -> FrameCollector:
        self._was_enabled = gc.isenabled()
        gc.disable()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        gc.unfreeze()  # the loop is over: everything is the collector's again
        if self._was_enabled:
            gc.enable()

    def after_frame(self, spare: float = math.inf) -> bool:
        """Sweep the young generations if enough have piled up and ``spare`` (seconds left
        in the frame) covers the sweep, or if too many have; True if it did."""
        young = gc.get_count()[0]
        if young < self.YOUNG:
            return False
        if young < self.YOUNG_LIMIT and spare < young * self.per_object:
            return False
        began = time.perf_counter()
        gc.collect(1)
        took = time.perf_counter() - began
        self.per_object = max(took / young, 0.98 * self.per_object)
        return True

    @staticmethod
    def full() -> None:
        gc.collect()

    @staticmethod
    def settle() -> None:
        """Sweep the whole heap and freeze what is left (what has just been loaded or
        built: the choreography, the stage, the renderer's caches) out of later sweeps.

        Unfrozen first: what the last settle froze and has been let go since (a kiosk
        loop's performance, the one before a seek) is collected here, not kept forever."""
        gc.unfreeze()
        gc.collect()
        gc.freeze()


@dataclass
class Scene:
    """One performance and one renderer: the thing every entry point advances and draws."""

    performance: Performance
    renderer: Renderer
    film: bool = True
    last: FrameState | None = field(default=None)
    #: the figures' target poses in each FrameState (the debug overlay draws them)
    targets: bool = False
    #: changes each FrameState before it is drawn (``export --follow`` moves the camera)
    reframe: Callable[[FrameState], FrameState] | None = None
    #: seconds spent in each part of the last :meth:`frame` (``bench`` reads them)
    timings: dict[str, float] = field(default_factory=dict)
    #: what :attr:`timings` are measured by (``bench`` times them in the thread's CPU time);
    #: the frame's budget (:meth:`spare`) is always wall time
    clock: Callable[[], float] = time.perf_counter
    _began: float = field(default=0.0, repr=False)

    @classmethod
    def marked(
        cls, choreography: Choreography, size: tuple[int, int], seed: int, film: bool, marks: Marks
    ) -> Scene:
        """A scene for exported frames and sheets: the target skeletons and the following
        camera as ``marks`` ask (the label is drawn on the finished picture, by the caller)."""
        return cls(
            Performance(choreography, seed=seed),
            Renderer(size),
            film=film,
            targets=marks.targets,
            reframe=Follow(choreography) if marks.follow else None,
        )

    def spare(self) -> float:
        """Seconds left of the frame's budget since the last :meth:`frame` began, less the
        margin kept for the flip and the events."""
        return FRAME_BUDGET - FRAME_MARGIN - (time.perf_counter() - self._began)

    def frame(self, t: float, realtime: bool = False) -> pygame.Surface:
        self._began = time.perf_counter()
        tick = self.clock
        began = tick()
        self.performance.advance_to(t, MAX_STEPS if realtime else None)
        stepped = tick()
        self.last = self.performance.frame_state(t, film=self.film, targets=self.targets)
        if self.reframe is not None:
            self.last = self.reframe(self.last)
        stated = tick()
        surface = self.renderer.draw(self.last)
        drawn = fetched = ready = tick()
        if realtime:
            # a slice (a few ms) of the physics' next block of targets, in a frame that has the
            # time, rather than the whole block in the one step that needs it
            self.performance.prefetch(self.spare())
            fetched = tick()
            # and what the renderer would build on first sight in a coming frame (the room of
            # the zoom the camera is moving to, the next grain), likewise
            camera, mix = self.performance.view_at(t + LOOK_AHEAD)
            self.renderer.ahead(camera, mix, self.spare())
            ready = tick()
        self.timings = {
            "physics": stepped - began,
            "frame_state": stated - stepped,
            "render": drawn - stated,
            "prefetch": fetched - drawn,
            "ahead": ready - fetched,
        }
        return surface

    def warm(self, t: float) -> None:
        """Draw the picture at ``t`` once in each of :data:`WARM_LOOKS` and throw it away.

        For play and kiosk before their first frame (and a new window size): whatever the
        renderer builds on first sight (about a second at 1080p, most of it the room in both
        lights, the second on the worker thread and waited for here) is built now, not in a
        frame of the piece, which would otherwise freeze while the sound runs on. The caches
        are keyed by what they draw: later frames have the same pixels either way."""
        shown = self.performance.frame_state(t, film=True, targets=False)  # film: G turns it on
        for mix, fade, presence in WARM_LOOKS:
            look = dataclasses.replace(shown, light_mix=mix, fade=fade, presence=presence)
            self.renderer.draw(look)
        # and what the real-time frames would otherwise make ahead in their first frames: the
        # surfaces the room keeps zooms in (each a few ms of page faults at 1080p), the next
        # grain's look after the picture as shown, the physics' next block of targets (due at
        # once after a seek to the end of a block)
        self.renderer.draw(shown)
        camera, mix = self.performance.view_at(t)
        while self.renderer.ahead(camera, mix):
            pass
        while self.performance.prefetch():
            pass

    def stir(self, event: pygame.event.Event) -> None:
        """A visitor's pointer or finger moving over the picture stirs the dust where it is."""
        w, h = self.renderer.size
        if event.type == pygame.MOUSEMOTION:
            px, py = event.pos
        elif event.type in (pygame.FINGERMOTION, pygame.FINGERDOWN):
            px, py = event.x * w, event.y * h  # fingers come normalised to 0..1
        else:
            return
        if self.last is None:
            return
        self.performance.stir(*View(w, h, self.last.camera).to_world(px, py))


@dataclass(frozen=True)
class Letterbox:
    """A picture of ``canvas`` size shown as large as fits in a ``window``, centred on black.

    For a kiosk drawing at less than its screen's resolution (``kiosk --render``): a
    nearest-neighbour scale straight into the window (about 4 ms from 1080p to 4K here, where
    drawing at 4K costs four times a 1080p frame), and a visitor's pointer mapped back.
    """

    canvas: tuple[int, int]
    window: tuple[int, int]

    @property
    def rect(self) -> pygame.Rect:
        (cw, ch), (ww, wh) = self.canvas, self.window
        k = min(ww / cw, wh / ch)
        w, h = max(1, round(cw * k)), max(1, round(ch * k))
        return pygame.Rect((ww - w) // 2, (wh - h) // 2, w, h)

    def show(self, frame: pygame.Surface, window: pygame.Surface) -> None:
        rect = self.rect
        if rect.size == frame.get_size():
            window.blit(frame, rect.topleft)
            return
        target = window.subsurface(rect)
        if target.get_bitsize() == frame.get_bitsize() and target.get_masks() == frame.get_masks():
            pygame.transform.scale(frame, rect.size, target)
        else:  # a display of another pixel format: scale, then convert as it is blitted
            window.blit(pygame.transform.scale(frame, rect.size), rect.topleft)

    def to_canvas(self, event: pygame.event.Event) -> pygame.event.Event:
        """A pointer or touch event in window terms, as if it had happened on the canvas."""
        rect = self.rect
        (cw, ch), (ww, wh) = self.canvas, self.window
        if event.type == pygame.MOUSEMOTION:
            x = (event.pos[0] - rect.x) * cw / rect.w
            y = (event.pos[1] - rect.y) * ch / rect.h
            return pygame.event.Event(pygame.MOUSEMOTION, pos=(round(x), round(y)))
        if event.type in (pygame.FINGERMOTION, pygame.FINGERDOWN):
            x = (event.x * ww - rect.x) / rect.w
            y = (event.y * wh - rect.y) / rect.h
            return pygame.event.Event(event.type, x=x, y=y)
        return event
