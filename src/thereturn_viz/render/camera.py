"""World meters to picture pixels and back, with the perspective of the room.

The camera looks at the back wall from in front of the dancers. A point at world ``(x, y)`` on a
plane ``depth`` meters from the camera lands at ``scale * DANCER_DEPTH / depth`` pixels per meter
around the horizon, so the mirror (further away) shows everything smaller and higher toward the
vanishing line, exactly where perspective puts it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..state import DANCER_DEPTH, MIRROR_DEPTH, VIEW_WIDTH, Camera

#: Distances from the camera (meters): the reflections' plane of the dancers' home plane (that
#: plane, ``DANCER_DEPTH``, and the mirror, ``MIRROR_DEPTH``, are in ``state``: the air and the
#: trace need them too).
REFLECTION_DEPTH = 2 * MIRROR_DEPTH - DANCER_DEPTH
#: The picture's aspect the framing is designed for; other aspects fit inside it.
DESIGN_ASPECT = 16 / 9


@dataclass(frozen=True)
class View:
    """A picture of ``width`` x ``height`` pixels framed by ``camera``: where a world point at a
    depth lands on it (:meth:`to_screen`), and which world point a pixel shows (:meth:`to_world`).
    """

    width: int
    height: int
    camera: Camera

    @property
    def scale(self) -> float:
        """Pixels per meter on the dancers' plane."""
        fit = min(self.width, self.height * DESIGN_ASPECT)
        return fit / VIEW_WIDTH * self.camera.zoom

    def depth_scale(self, depth: float) -> float:
        """Pixels per meter on the plane ``depth`` m from the camera."""
        return self.scale * DANCER_DEPTH / depth

    def to_screen(self, x: float, y: float, depth: float = DANCER_DEPTH) -> tuple[float, float]:
        """The picture position (pixels) of world ``(x, y)`` on the plane ``depth`` m away.

        >>> View(1920, 1080, Camera(0.0, 1.55, 1.0)).to_screen(0.0, 1.55)
        (960.0, 540.0)
        """
        s = self.depth_scale(depth)
        return (self.width / 2 + (x - self.camera.x) * s, self.height / 2 - (y - self.camera.y) * s)

    def to_world(self, sx: float, sy: float, depth: float = DANCER_DEPTH) -> tuple[float, float]:
        """The world point (m) on the plane ``depth`` m away that the picture shows at pixel
        ``(sx, sy)``: :meth:`to_screen` undone (for a visitor's pointer over the dust).

        >>> view = View(1920, 1080, Camera(0.5, 1.55, 0.8))
        >>> x, y = view.to_world(*view.to_screen(2.0, 0.25, 11.0), 11.0)
        >>> round(x, 9), round(y, 9)
        (2.0, 0.25)
        """
        s = self.depth_scale(depth)
        return (
            self.camera.x + (sx - self.width / 2) / s,
            self.camera.y - (sy - self.height / 2) / s,
        )

    @property
    def px(self) -> float:
        """One 'design pixel' (1/1080 of a 1080p frame) at this size, for line widths."""
        return self.height / 1080.0
