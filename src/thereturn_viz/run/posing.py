"""``play``'s pose editor: the events it reads and the overlay it draws.

What it decides (which joint, the angle within its range, the history, the file) is the model's,
:mod:`..show.posing`; this module turns pointer positions into world points and back and keeps
the figures following the edit. After each drag (and undo, redo) the choreography as edited is
loaded from a scratch copy and a fresh performance started on its targets ``SETTLE`` seconds
before the paused time, in a worker thread (about a second here: the picture keeps drawing);
the loop then replays those seconds at one frame's worth a frame, so the figures are seen to
move into the edited pose through the physics, and hold it at the paused time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pygame

from ..performance import Performance
from ..render.camera import View
from ..show.anatomy import JOINTS, LIMITS
from ..show.choreography import Choreography
from ..show.edit import EditError
from ..show.errors import Problem
from ..show.posing import Handle, PoseSession, handles, load_edited, pick, pose_points
from ..state import DancerState, FrameState
from .loop import Scene

#: Seconds of the piece before the paused time from which the figures are re-solved.
SETTLE = 1.0
#: Piece time the replay moves on by each frame (real time at 60 frames a second).
REPLAY_STEP = 1.0 / 60.0
#: How near (pixels at 720 lines) the pointer must come to a dot to take it.
PICK_PIXELS = 12.0
_CENTRE = (235, 232, 215)
_LEFT = (255, 170, 80)  # left limbs: amber, right limbs: blue, as the two sides of a profile
_RIGHT = (110, 195, 255)
_HELD = (255, 240, 120)


@dataclass(frozen=True)
class Placed:
    """A dancer's edited pose on the picture: its dots in pixels, in :func:`handles` order."""

    dancer: DancerState
    bones: dict[str, tuple[tuple[float, float], tuple[float, float]]]
    handles: list[Handle]
    dots: list[tuple[float, float]]
    view: View


class _Build:
    """One performance built off the drawing loop (inline when not ``threaded``)."""

    def __init__(self, work: Callable[[], Performance], t: float, threaded: bool) -> None:
        self.t = t  # the paused time it leads to
        self.result: Performance | None = None
        self.error: Exception | None = None
        self.done = threading.Event()
        self._work = work
        if threaded:
            threading.Thread(target=self._run, name="pose-preview", daemon=True).start()
        else:
            self._run()

    def _run(self) -> None:
        try:
            self.result = self._work()
        except Exception as exc:  # handed to the loop, which says it
            self.error = exc
        finally:
            self.done.set()


class PoseEditor:
    """Edit mode: on while paused; a drag bends a joint of a pose, the figures follow."""

    def __init__(self, folder: Path, seed: int = 0, threaded: bool = True) -> None:
        self.folder = folder
        self.seed = seed
        self.threaded = threaded
        self.active = False
        self.session: PoseSession | None = None
        self.note = ""
        self.t = 0.0
        self.hover: Handle | None = None
        self._last: tuple[str, str] | None = None
        self._job: _Build | None = None
        self._pending = False
        self._preview: Performance | None = None
        self._shown: float | None = None  # the replay's piece time, None once it is over
        self._replay_for = 0.0  # the paused time the replay leads to
        self._seen: tuple[str, ...] = ()  # the dancers on the picture, as last placed

    # -- mode ----------------------------------------------------------------------------------

    def enter(self, choreography: Choreography, t: float, problems: tuple[Problem, ...]) -> None:
        self.active, self.t, self.hover = True, t, None
        if problems:
            self.session = None
            self.note = "the files have problems (below): fix them, then edit"
            return
        if self.session is None or not self.session.dirty:
            self.session = PoseSession(self.folder, choreography)
            self.note = ""
        else:
            self.session.follow(choreography)

    def leave(self, scene: Scene) -> None:
        """Out of edit mode: a preview still being built is waited for, and a replay finished,
        so that the piece goes on from the paused time as edited."""
        if self.session is not None and self.session.held is not None:
            self.session.release()
            self._rebuild()
        while self._job is not None:  # (an edit made while one was built is built next)
            self._job.done.wait()
            self._collect(scene)
        if self._preview is not None and scene.performance is self._preview:
            self._preview.advance_to(self.t)
        self._shown = None
        self.active = False
        self.hover = None

    # -- the loop's side -----------------------------------------------------------------------

    def frame_time(self, t: float, scene: Scene) -> float:
        """The time to draw at ``t`` (the paused time): while the figures replay their way into
        an edit, a moment of that replay."""
        if not self.active:
            return t
        self.t = t
        self._collect(scene)
        if self._shown is None or scene.performance is not self._preview:
            self._shown = None
            return t
        if abs(t - self._replay_for) > 1e-9:  # a seek meanwhile: the replay is over
            self._shown = None
            return t
        self._shown = min(t, self._shown + REPLAY_STEP)
        shown = self._shown
        if shown >= t:
            self._shown = None
        return shown

    def _collect(self, scene: Scene) -> None:
        job = self._job
        if job is None or not job.done.is_set():
            return
        self._job = None
        if abs(job.t - self.t) > 1e-9:  # built for a time left since (a seek): again, for now
            self._pending = True
        elif job.result is not None:
            self._preview = scene.performance = job.result
            self._shown = job.result.sim_t
            self._replay_for = job.t
        elif job.error is not None:
            self.note = f"the figures could not follow: {job.error}"
        if self._pending:
            self._pending = False
            self._rebuild()

    def _rebuild(self) -> None:
        """A fresh performance of the choreography as edited (one at a time: an edit made
        while one is built is built after it)."""
        if self.session is None:
            return
        if self._job is not None:
            self._pending = True
            return
        folder, text, t, seed = self.folder, self.session.text(), self.t, self.seed

        def work() -> Performance:
            performance = Performance(load_edited(folder, text), seed)
            performance.start_at(max(t - SETTLE, 0.0))
            return performance

        self._job = _Build(work, t, self.threaded)

    @property
    def building(self) -> bool:
        return self._job is not None

    # -- events --------------------------------------------------------------------------------

    def placed(self, fs: FrameState | None, size: tuple[int, int]) -> list[Placed]:
        """Each visible dancer's pose in force, as edited, where the picture shows it."""
        if fs is None or self.session is None:
            return []
        out = []
        for d in fs.dancers:
            if d.visible < 0.5 or not d.target or d.name not in self.session.choreography.dancers:
                continue
            view = View(size[0], size[1], fs.camera)
            bones = pose_points(self.session, d.name, self.t, d.target[0].a, d.facing)
            hs = handles(d.name, bones)
            dots = [view.to_screen(*h.tip, d.distance) for h in hs]
            out.append(Placed(d, bones, hs, dots, view))
        self._seen = tuple(p.dancer.name for p in out)
        return out

    def _under(
        self, placed: list[Placed], pos: tuple[float, float], size: tuple[int, int]
    ) -> tuple[Placed, Handle] | None:
        pairs = [(p, h) for p in placed for h in p.handles]
        dots = [dot for p in placed for dot in p.dots]
        keys = [(h.dancer, h.joint) for _, h in pairs]
        last = keys.index(self._last) if self._last in keys else None
        i = pick(dots, pos, PICK_PIXELS * size[1] / 720.0, last)
        return None if i is None else pairs[i]

    def handle(self, event: pygame.event.Event, scene: Scene) -> bool:
        """An event in edit mode; True if it was the editor's (the player ignores it then)."""
        if not self.active:
            return False
        if event.type == pygame.KEYDOWN:
            return self._key(event, scene)
        if self.session is None or event.type not in (
            pygame.MOUSEBUTTONDOWN,
            pygame.MOUSEMOTION,
            pygame.MOUSEBUTTONUP,
        ):
            return False
        surface = pygame.display.get_surface()
        size = surface.get_size() if surface is not None else scene.renderer.size
        session = self.session
        held = session.held
        if event.type == pygame.MOUSEBUTTONUP and getattr(event, "button", 1) == 1:
            change = session.release()
            if change is not None:
                self.note = f"{change.pose}.{change.joint} = {change.after:g}"
                self._rebuild()
            return True
        placed = self.placed(scene.last, size)
        if held is not None and event.type == pygame.MOUSEMOTION:
            here = next((p for p in placed if p.dancer.name == held.dancer), None)
            if here is not None:
                x, y = event.pos
                session.drag(here.view.to_world(x, y, here.dancer.distance))
            return True
        under = self._under(placed, event.pos, size)
        self.hover = under[1] if under is not None else None
        down = event.type == pygame.MOUSEBUTTONDOWN and getattr(event, "button", 1) == 1
        if down and under is not None:
            p, h = under
            x, y = event.pos
            session.grab(h, self.t, p.view.to_world(x, y, p.dancer.distance), p.dancer.facing)
            self._last = (h.dancer, h.joint)
        return True

    def _key(self, event: pygame.event.Event, scene: Scene) -> bool:
        key, mod = event.key, getattr(event, "mod", 0)
        ctrl = bool(mod & (pygame.KMOD_CTRL | pygame.KMOD_META))
        if key in (pygame.K_ESCAPE, pygame.K_e) and not ctrl:
            self.leave(scene)
            return True
        if key == pygame.K_SPACE:  # play on: out of edit mode, and the player resumes
            self.leave(scene)
            return False
        if not ctrl or self.session is None:
            return False
        session = self.session
        if key == pygame.K_z and mod & pygame.KMOD_SHIFT or key == pygame.K_y:
            change, verb = session.redo(), "redid"
        elif key == pygame.K_z:
            change, verb = session.undo(), "undid"
        elif key == pygame.K_s:
            try:
                self.note = session.save()
            except (EditError, OSError) as exc:
                self.note = f"not saved: {exc}"
            return True
        else:
            return False
        if change is None:
            self.note = "nothing to undo" if verb == "undid" else "nothing to redo"
        else:
            was, now = change.before, change.after
            if verb == "undid":
                was, now = now, was
            self.note = f"{verb} {change.pose}.{change.joint}: {_deg(was)} -> {_deg(now)}"
            self._rebuild()
        return True

    # -- drawing -------------------------------------------------------------------------------

    def lines(self) -> list[str]:
        """The panel's text: the keys, what each dancer's edit would change, what is held."""
        out = ["EDIT  drag a dot: bend its joint   Ctrl+Z undo  Ctrl+Y redo  Ctrl+S save  E leave"]
        s = self.session
        if s is not None:
            for name in self._seen:
                kf = s.in_force(name, self.t)
                out.append(kf.describe(s.uses(kf.keyframe.pose)))
            g = s.held
            h = self.hover
            if g is not None:
                lo, hi = LIMITS[g.joint]
                out.append(
                    f"{g.dancer} {g.joint} {g.value} deg (range {lo:g}..{hi:g}), pose {g.pose}"
                )
            elif h is not None:
                pose = s.in_force(h.dancer, self.t).keyframe.pose
                value = s.angles(pose)[JOINTS.index(h.joint)]
                out.append(f"{h.dancer} {h.joint} {value:g} deg, pose {pose}")
            unsaved = len(s.changed())
            if unsaved:
                out.append(f"{unsaved} change{'s' if unsaved != 1 else ''} not saved")
        if self.building:
            out.append("the figures are following the edit...")
        if self.note:
            out.append(self.note)
        return out

    def draw(self, window: pygame.Surface, font: pygame.font.Font, fs: FrameState | None) -> None:
        if not self.active:
            return
        held = self.session.held if self.session is not None else None
        for p in self.placed(fs, window.get_size()):
            dist = p.dancer.distance
            for h, dot in zip(p.handles, p.dots, strict=True):
                colour = (
                    _LEFT if h.joint[:2] == "l_" else _RIGHT if h.joint[:2] == "r_" else _CENTRE
                )
                pivot = p.view.to_screen(*h.pivot, dist)
                pygame.draw.line(window, colour, pivot, dot, 2)
            for h, dot in zip(p.handles, p.dots, strict=True):
                mine = held is not None and (held.dancer, held.joint) == (h.dancer, h.joint)
                colour = (
                    _LEFT if h.joint[:2] == "l_" else _RIGHT if h.joint[:2] == "r_" else _CENTRE
                )
                if mine:
                    pygame.draw.circle(window, _HELD, p.view.to_screen(*h.pivot, dist), 6, 2)
                    pygame.draw.circle(window, _HELD, dot, 6)
                elif h == self.hover:
                    pygame.draw.circle(window, (255, 255, 255), dot, 7, 2)
                else:
                    pygame.draw.circle(window, colour, dot, 4)
        _panel(window, font, self.lines())


def _panel(window: pygame.Surface, font: pygame.font.Font, lines: list[str]) -> None:
    """Lines at the top right over a dark band (the debug overlay's are at the top left)."""
    rendered = [font.render(line, True, (240, 230, 200)) for line in lines]
    pad = 6
    width = min(window.get_width(), max(r.get_width() for r in rendered) + 2 * pad)
    height = sum(r.get_height() for r in rendered) + 2 * pad
    band = pygame.Surface((width, height), pygame.SRCALPHA)
    band.fill((0, 0, 0, 170))
    x0 = window.get_width() - width - pad
    window.blit(band, (x0, pad))
    y = 2 * pad
    for r in rendered:
        window.blit(r, (x0 + pad, y))
        y += r.get_height()


def _deg(value: float | None) -> str:
    return "inherited" if value is None else f"{value:g}"
