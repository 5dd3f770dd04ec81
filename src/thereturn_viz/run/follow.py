"""A camera that follows the dancers as an operator would: ahead of the move, and smoothly.

The first following camera framed each frame's figures alone, so its zoom changed as fast as
the dancers did: about twice as close crouched at ``lift_begin`` as half a second later. Fine in
a still, jumpy in a video. This one frames what the choreography asks over the seconds around
the frame, not the frame itself:

1. the figures' target poses (the planner's :meth:`~thereturn_viz.physics.planner.Planner.
   figures_at`, a pure function of the script) sampled every :data:`STEP` s, a box per
   dancer and sample (her depth enlarging or shrinking it as the picture does); a dancer about
   to enter comes into it over the :data:`ARRIVE` s before her entrance;
2. for a sample ``i`` and each offset ``s`` within ``+-EASE``, the union of those boxes over
   ``i + s +- REACH`` (and one sample more): it holds the poses from ``i - 1`` to ``i + 1``,
   since ``|s| <= EASE <= REACH``; the view that holds that union with :data:`FOLLOW_MARGIN`
   to spare, its centre placing the dancers' extents symmetrically (between
   :data:`FOLLOW_MIN_ZOOM` and :data:`FOLLOW_MAX_ZOOM`);
3. those views averaged with a raised-cosine weight in ``s``: whether a point lies in a view is
   linear in the view's centre and half width, so an average of views that each hold the poses
   holds them too, and it changes only as fast as the weight slides along;
4. at a frame's ``t``, the views of the samples either side in proportion (both hold the
   poses between them);
5. the figures as drawn at ``t`` (their capsules and the gown's chain, with :data:`SAFETY` to
   spare) only as a limit: where the physics strays beyond its targets the camera widens just
   enough to keep every limb in the picture, without moving its centre.

Nothing depends on the frames drawn before, so a frame is the same drawn alone, in any job's
range of frames or on the farm. The choreography's targets at ``t`` are in the frame by
construction; the figures' own extent is checked every frame.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import NDArray

from ..physics.planner import Planner
from ..render.camera import DESIGN_ASPECT
from ..show.choreography import Choreography
from ..state import DANCER_DEPTH, MIRROR_DEPTH, VIEW_WIDTH, Camera, FrameState

Arr = NDArray[np.float64]

#: Meters of room kept around the dancers' targets, and the closest zoom allowed (a lone figure
#: close up would be a blur of grain).
FOLLOW_MARGIN = 0.45
FOLLOW_MAX_ZOOM = 3.0
#: The widest the camera goes (the studio's 12 m across the dancers' plane): dancers further
#: apart than that are left to the edges.
FOLLOW_MIN_ZOOM = 0.75
#: Seconds before and after a moment whose targets its framing holds (the operator's reach),
#: and half the span (s) over which those framings are averaged (how gently the camera moves).
REACH = 1.0
EASE = 1.0
#: Seconds between the samples of the targets.
STEP = 1.0 / 30.0
#: Seconds before her entrance over which a dancer comes into the framing.
ARRIVE = 3.0
#: Samples of the targets worked out at once, and how many such chunks (and framings) are kept.
CHUNK = 64
KEPT_CHUNKS = 8
#: Meters kept beyond the figures as drawn at the frame itself, whatever the targets say.
SAFETY = 0.15
#: How far (m) a gown's train lies beyond its wearer's feet behind her (0.55 m as the partner
#: enters).
TRAIN = 0.6
#: How visible a figure fading in must be before the limit keeps all of it in the picture.
SEEN = 0.25
#: The nearest a figure is taken to be (m from the camera) when sizing it.
NEAREST = 0.5

VIEW_HEIGHT = VIEW_WIDTH / DESIGN_ASPECT


def weights(n: int) -> Arr:
    """``2n + 1`` raised-cosine weights summing to 1, zero just beyond either end: the average
    they make slides in and out of each sample gently.

    >>> w = weights(2)
    >>> [round(float(v), 3) for v in w], float(w.sum())
    ([0.083, 0.25, 0.333, 0.25, 0.083], 1.0)
    """
    w = 1.0 + np.cos(np.pi * np.arange(-n, n + 1) / (n + 1))
    return np.asarray(w / w.sum(), dtype=np.float64)


def centre(lo: Arr, hi: Arr, k: Arr) -> Arr:
    """The centres ``c`` that put the boxes ``[lo, hi]`` (..., dancers; each dancer seen ``k``
    times larger for her depth) symmetrically about the picture's middle: ``min((lo - c) k) =
    -max((hi - c) k)``. Both sides are linear in ``c`` between the points where another dancer
    becomes the extreme one, so the root is where some dancer's low edge and some dancer's high
    edge balance: of those candidates, the one that balances the whole.

    >>> centre(np.array([0.0]), np.array([2.0]), np.array([1.0])).tolist()
    1.0
    >>> centre(np.array([[0.0, 3.0]]), np.array([[1.0, 4.0]]), np.array([[1.0, 0.5]])).round(9)
    array([1.33333333])
    """
    li, ki = lo[..., :, None], k[..., :, None]
    hj, kj = hi[..., None, :], k[..., None, :]
    c = ((li * ki + hj * kj) / (ki + kj)).reshape(*lo.shape[:-1], -1)  # (..., pairs)
    at = c[..., :, None]
    off = ((lo[..., None, :] - at) * k[..., None, :]).min(axis=-1) + (
        (hi[..., None, :] - at) * k[..., None, :]
    ).max(axis=-1)
    best = np.argmin(np.abs(off), axis=-1)
    return np.asarray(np.take_along_axis(c, best[..., None], axis=-1)[..., 0], dtype=np.float64)


def framing(boxes: Arr) -> Arr:
    """(..., 3) the centre ``x, y`` and half the width (m, on the dancers' plane) of the view
    that holds ``boxes`` (..., dancers, 5: ``x0, x1, y0, y1, k``) with :data:`FOLLOW_MARGIN`
    to spare, no closer than :data:`FOLLOW_MAX_ZOOM` nor wider than :data:`FOLLOW_MIN_ZOOM`.

    >>> framing(np.array([[0.0, 1.0, 0.0, 1.8, 1.0]])).round(3).tolist()
    [0.5, 0.9, 2.4]
    """
    x0, x1, y0, y1, k = np.moveaxis(boxes, -1, 0)
    cx, cy = centre(x0, x1, k), centre(y0, y1, k)
    wide = ((x1 - cx[..., None]) * k).max(axis=-1) + FOLLOW_MARGIN
    high = ((y1 - cy[..., None]) * k).max(axis=-1) + FOLLOW_MARGIN
    half = np.clip(
        np.maximum(wide, high * DESIGN_ASPECT),
        VIEW_WIDTH / 2 / FOLLOW_MAX_ZOOM,
        VIEW_WIDTH / 2 / FOLLOW_MIN_ZOOM,
    )
    return np.stack([cx, cy, half], axis=-1)


def reach(v: Arr, half: int, largest: bool) -> Arr:
    """The greatest (or least) of ``v`` (samples, ...) over ``+-half`` samples about each sample
    far enough from both ends, ignoring NaN (no one on); NaN where a window holds none.

    >>> reach(np.array([0.0, 3.0, 1.0, np.nan, 2.0]), 1, True).tolist()
    [3.0, 3.0, 2.0]
    """
    win = sliding_window_view(v, 2 * half + 1, axis=0)
    filled = np.where(np.isnan(win), -np.inf if largest else np.inf, win)
    out = filled.max(axis=-1) if largest else filled.min(axis=-1)
    return np.asarray(np.where(np.isfinite(out), out, np.nan), dtype=np.float64)


def magnification(depth: Arr | float) -> Arr:
    """How much larger than on the dancers' home plane a figure ``depth`` m from the mirror is
    drawn (the picture's perspective, :class:`~thereturn_viz.render.camera.View`).

    >>> float(magnification(3.0)), float(magnification(5.0))
    (1.0, 1.3333333333333333)
    """
    return np.asarray(
        DANCER_DEPTH / np.maximum(MIRROR_DEPTH - np.asarray(depth, np.float64), NEAREST)
    )


class Follow:
    """``export --follow``'s camera: call it on a FrameState for the same one framed.

    Owns a planner of the choreography's targets and the last few chunks of target boxes it
    sampled (a frame at 30 fps needs one new sample; the chunks are pure functions of their
    number, so what is kept changes no number, only the time taken)."""

    def __init__(self, choreography: Choreography) -> None:
        self.planner = Planner(choreography)
        #: each dancer's entrance, in the order the planner gives their figures
        self._enters = [choreography.dancers[n].enters for n in self.planner.order]
        self._half = round(REACH / STEP) + 1  # and the samples either side of a frame
        self._ease = min(round(EASE / STEP), self._half)
        self._weights = weights(self._ease)
        self._chunks: dict[int, Arr] = {}
        self._held: dict[int, tuple[Arr, float] | None] = {}

    def presence(self, times: Arr) -> Arr:
        """(n, dancers) how far (0..1) each dancer counts at ``times``: from :data:`ARRIVE`
        s before her entrance she comes in gradually, so that the camera widens for her ahead
        and smoothly; one on from the start counts from before it.

        >>> from thereturn_viz.paths import default_choreography
        >>> from thereturn_viz.show.loader import load_choreography
        >>> f = Follow(load_choreography(default_choreography()))
        >>> f.presence(np.array([-1.0, 24.0, 26.5, 28.0])).round(2).tolist()
        [[1.0, 0.0], [1.0, 0.0], [1.0, 0.5], [1.0, 1.0]]
        """
        out = [
            np.ones_like(times) if e <= 0.0 else np.clip((times - e) / ARRIVE + 1.0, 0.0, 1.0)
            for e in self._enters
        ]
        return np.stack(out, axis=1)

    def _chunk(self, number: int) -> Arr:
        """(CHUNK, dancers, 5) the boxes ``x0, x1, y0, y1, k`` of the samples ``number *
        CHUNK`` onward (``k``: how much larger the figure's depth draws it), each dancer not
        yet fully on drawn toward the box of the one most on (NaN while no one is)."""
        got = self._chunks.get(number)
        if got is not None:
            return got
        times = (number * CHUNK + np.arange(CHUNK, dtype=np.float64)) * STEP
        per = []
        for name, f in self.planner.figures_at(times).items():
            # a gown's train lies on the floor behind her back: beyond her targets on the side
            # she turns away from, none while she faces the camera or the mirror
            train = TRAIN if self.planner.scripts[name].traits.gown else 0.0
            per.append(
                np.stack(
                    [
                        np.minimum(f.ax, f.bx).min(axis=0) - train * np.maximum(f.facing, 0.0),
                        np.maximum(f.ax, f.bx).max(axis=0) + train * np.maximum(-f.facing, 0.0),
                        np.minimum(f.ay, f.by).min(axis=0),
                        np.maximum(f.ay, f.by).max(axis=0),
                        magnification(f.depth),
                    ],
                    axis=1,
                )
            )
        own = np.stack(per, axis=1)  # (samples, dancers, 5)
        p = self.presence(times)
        most = np.argmax(p, axis=1)
        rows = np.arange(len(times))
        # one coming in stands where the one most on stands, and moves to her own box as she
        # comes: she adds nothing to the union until she counts
        stand_in = own[rows, most]
        boxes = stand_in[:, None, :] + (own - stand_in[:, None, :]) * p[..., None]
        boxes[p[rows, most] <= 0.0] = np.nan
        if len(self._chunks) >= KEPT_CHUNKS:
            self._chunks.pop(next(iter(self._chunks)))
        self._chunks[number] = boxes
        return boxes

    def _samples(self, first: int, count: int) -> Arr:
        """The boxes of the samples ``first`` .. ``first + count - 1``."""
        chunks = range(first // CHUNK, (first + count - 1) // CHUNK + 1)
        joined = np.concatenate([self._chunk(c) for c in chunks])
        at = first - chunks[0] * CHUNK
        return joined[at : at + count]

    def held(self, i: int) -> tuple[Arr, float] | None:
        """The view at sample ``i`` (``t = i * STEP``): centre ``x, y`` and half the width (m),
        the average of the views that hold each union about it, and the share (0..1) of the
        averaging weight in which anyone is on; None when no one is within reach.

        Each view holds the poses at ``i``, and a point lies in a view when ``|(x - cx) k| <=
        half``: linear in the centre and the half width, so their average holds them too."""
        if i in self._held:
            return self._held[i]
        n = self._half + self._ease
        boxes = self._samples(i - n, 2 * n + 1)
        largest = np.array([False, True, False, True, True])
        union = np.where(
            largest, reach(boxes, self._half, True), reach(boxes, self._half, False)
        )  # (offsets, dancers, 5)
        defined = ~np.isnan(union[:, 0, 0])
        found: tuple[Arr, float] | None = None
        if defined.any():
            share = 1.0 if defined.all() else float(self._weights[defined].sum())
            w = self._weights[defined] / share
            found = (w @ framing(union[defined]), share)
        if len(self._held) >= KEPT_CHUNKS:
            self._held.pop(next(iter(self._held)))
        self._held[i] = found
        return found

    def camera(self, t: float) -> tuple[Camera, float] | None:
        """The camera the targets around ``t`` ask for, and how much (0..1) it takes over from
        the piece's own; None when no one is within reach. Between samples, the views either
        side in proportion: a function of ``t`` alone, and continuous."""
        i = math.floor(t / STEP)
        u = t / STEP - i
        a, b = self.held(i), self.held(i + 1)
        if a is None and b is None:
            return None
        if a is None or b is None:  # at the edge of reach: the share alone comes in or goes
            one = b if a is None else a
            assert one is not None
            view, share = one[0], one[1] * (u if a is None else 1.0 - u)
        else:
            view, share = a[0] + (b[0] - a[0]) * u, a[1] + (b[1] - a[1]) * u
        x, y, half = view.tolist()
        return Camera(x, y, VIEW_WIDTH / 2 / half), share

    def __call__(self, fs: FrameState) -> FrameState:
        """``fs`` framed on the dancers; unchanged when no one is on within reach."""
        found = self.camera(fs.t)
        if found is None:
            return fs
        cam, share = found
        if share < 1.0:  # someone on only at one end of the window: in from the piece's camera
            piece = fs.camera
            zoom = math.exp(
                math.log(piece.zoom) + (math.log(cam.zoom) - math.log(piece.zoom)) * share
            )
            cam = Camera(
                piece.x + (cam.x - piece.x) * share, piece.y + (cam.y - piece.y) * share, zoom
            )
        limit = fits(fs, cam)
        if limit < cam.zoom:
            cam = dataclasses.replace(cam, zoom=max(limit, FOLLOW_MIN_ZOOM))
        return dataclasses.replace(fs, camera=cam)


def fits(fs: FrameState, cam: Camera) -> float:
    """The closest zoom about ``cam``'s centre at which every visible figure of ``fs`` as drawn
    (its capsules, the gown's chain) is in the picture with :data:`SAFETY` to spare.

    A figure fading in asks for its whole room only once it is :data:`SEEN` visible, and for a
    part of it before, in proportion: her train, trailing beyond her targets as she steps out of
    the shadows, widens the view gradually, not at her first frame."""
    need_x = need_y = 1e-6
    for d in fs.dancers:
        if d.visible <= 0.0:
            continue
        k = float(magnification(d.depth)) * min(d.visible / SEEN, 1.0)
        pts = [(s.a, s.ra) for s in d.segments] + [(s.b, s.rb) for s in d.segments]
        pts += [(p, 0.0) for p in d.gown]
        for (x, y), r in pts:
            need_x = max(need_x, (abs(x - cam.x) + r + SAFETY) * k)
            need_y = max(need_y, (abs(y - cam.y) + r + SAFETY) * k)
    return min(VIEW_WIDTH / 2 / need_x, VIEW_HEIGHT / 2 / need_y)
