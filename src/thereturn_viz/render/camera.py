"""World meters to picture pixels, with the perspective of the room.

The camera looks at the back wall from in front of the dancers. A point at world ``(x, y)`` on a
plane ``depth`` meters from the camera lands at ``scale * DANCER_DEPTH / depth`` pixels per meter
around the horizon, so the mirror (further away) shows everything smaller and higher toward the
vanishing line, exactly where perspective puts it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..state import DANCER_DEPTH, VIEW_WIDTH, Camera

#: Distances from the camera (meters): the mirror, the reflections' plane (the dancers' plane,
#: ``DANCER_DEPTH``, is in ``state``: the air needs it too).
MIRROR_DEPTH = 11.0
REFLECTION_DEPTH = 2 * MIRROR_DEPTH - DANCER_DEPTH
#: The picture's aspect the framing is designed for; other aspects fit inside it.
DESIGN_ASPECT = 16 / 9


@dataclass(frozen=True)
class View:
    width: int
    height: int
    camera: Camera

    @property
    def scale(self) -> float:
        """Pixels per meter on the dancers' plane."""
        fit = min(self.width, self.height * DESIGN_ASPECT)
        return fit / VIEW_WIDTH * self.camera.zoom

    def depth_scale(self, depth: float) -> float:
        return self.scale * DANCER_DEPTH / depth

    def to_screen(self, x: float, y: float, depth: float = DANCER_DEPTH) -> tuple[float, float]:
        s = self.depth_scale(depth)
        return (self.width / 2 + (x - self.camera.x) * s, self.height / 2 - (y - self.camera.y) * s)

    @property
    def px(self) -> float:
        """One 'design pixel' (1/1080 of a 1080p frame) at this size, for line widths."""
        return self.height / 1080.0
