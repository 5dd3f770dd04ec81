"""FrameState: everything a picture needs, as plain data. The only thing ``render/`` sees.

World coordinates are meters, x to the right, y up, the floor at y = 0, the studio x in [-6, 6].
Tests build FrameStates by hand; render code never reaches back into physics or files.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

Point = tuple[float, float]

#: Meters of studio across the picture at zoom 1.
VIEW_WIDTH = 9.0
#: Distance (m) from the camera to the plane the dancers move in: the picture's scale is given
#: there, and what lies nearer or further is drawn larger or smaller around the horizon.
DANCER_DEPTH = 8.0
#: Distance (m) from the camera to the mirror wall.
MIRROR_DEPTH = 11.0
#: The dancers' home plane as a distance from the mirror (m): where the physics' plane is drawn.
HOME_DEPTH = MIRROR_DEPTH - DANCER_DEPTH


@dataclass(frozen=True)
class Segment:
    """A tapered limb: a capsule from ``a`` to ``b`` with radii ``ra`` and ``rb`` (meters)."""

    name: str
    a: Point
    b: Point
    ra: float
    rb: float


@dataclass(frozen=True)
class DancerState:
    name: str  # "lead" or "partner"
    visible: float  # 0 (absent) to 1 (fully present)
    facing: float  # -1 left ... +1 right; in between while turning
    segments: tuple[Segment, ...]
    joints: dict[str, Point]  # the trace joints: head, pelvis, l_hand, r_hand, l_foot, r_foot
    #: the gown's chain from the waist down, as points (empty for the lead)
    gown: tuple[Point, ...] = ()
    #: the target pose as segments, for the debug overlay
    target: tuple[Segment, ...] = ()
    tracking_error_deg: float = 0.0
    resets: int = 0
    #: the facing as an angle (degrees, unwrapped: whole turns add up): 0 faces the camera, 180
    #: the mirror, 90 screen-right; None: read from ``facing`` (90 times it)
    yaw: float | None = None
    #: distance (m) from the mirror, larger nearer the camera; the physics stays in its plane,
    #: only the picture places the figure by it
    depth: float = HOME_DEPTH
    #: how fast the yaw turns (degrees per second): the gown flares with it
    spin: float = 0.0
    #: the centre of mass (m) from the segments' masses, and the body's mass (kg)
    com: Point = (0.0, 0.0)
    mass: float = 0.0
    #: [x_min, x_max] (m) on the floor of what bears the weight now; None: nothing does
    support: tuple[float, float] | None = None
    #: the upward force (N) the partner's body puts on this figure (hands, shoulder, a hold)
    carried_n: float = 0.0

    @property
    def heading(self) -> float:
        """The yaw in degrees, from ``facing`` when none is given.

        >>> DancerState("lead", 1.0, -1.0, (), {}).heading
        -90.0
        """
        return 90.0 * self.facing if self.yaw is None else self.yaw

    @property
    def distance(self) -> float:
        """Distance (m) from the camera to the figure's plane.

        >>> DancerState("lead", 1.0, 1.0, (), {}).distance == DANCER_DEPTH
        True
        """
        return MIRROR_DEPTH - self.depth

    def segment(self, name: str) -> Segment:
        for s in self.segments:
            if s.name == name:
                return s
        raise KeyError(name)


@dataclass(frozen=True)
class Dust:
    """The dust: positions (n, 2) in meters, brightness (n,) 0..1, and a size factor (n,)."""

    xy: NDArray[np.float32]
    brightness: NDArray[np.float32]
    size: NDArray[np.float32]
    #: distance (m) of each speck from the camera; None: all on the dancers' plane (8 m)
    depth: NDArray[np.float32] | None = None

    @staticmethod
    def empty() -> Dust:
        z = np.zeros((0,), np.float32)
        return Dust(np.zeros((0, 2), np.float32), z, z)


@dataclass(frozen=True)
class Camera:
    """What part of the studio is framed: the world point at the picture's centre and a zoom.

    At zoom 1 the picture spans ``VIEW_WIDTH`` meters; at 0.8 it spans 25% more.
    """

    x: float = 0.0
    y: float = 1.55
    zoom: float = 1.0


@dataclass(frozen=True)
class FrameState:
    t: float
    cue: str
    dancers: tuple[DancerState, ...]
    dust: Dust = field(default_factory=Dust.empty)
    light_mix: float = 0.0  # 0 warm morning ... 1 silver-gold after the lift
    presence: float = 0.0  # opacity of the third silhouette in the mirror
    camera: Camera = field(default_factory=Camera)
    fade: float = 1.0  # 0 black ... 1 full picture
    film: bool = True  # the restored-footage look (grain, vignette, flicker)
    flicker: float = 0.0  # the lead's reflection flicker at `open`, 0..1
    seed: int = 0
    #: the contacts between the dancers held at this moment ("hands", "waist", "lift")
    contacts: tuple[str, ...] = ()
    #: the holds among ``contacts`` whose bodies are apart (past their lead-in): a hold that
    #: slipped or never closed, flagged by the trace and the debug overlay
    apart: tuple[str, ...] = ()
    #: how much the faces matter now (0..1): the glitter thins over them (eyes meeting, the touch)
    faces: float = 0.0

    def dancer(self, name: str) -> DancerState:
        for d in self.dancers:
            if d.name == name:
                return d
        raise KeyError(name)
