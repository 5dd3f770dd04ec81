"""The body plan turned into physical numbers: lengths, radii and masses for a given height."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..show.anatomy import SEGMENTS, SegmentSpec

#: Body density in kg per square meter of silhouette (a 2-D figure): tuned so that a 1.80 m
#: figure weighs about 70 kg.
AREAL_DENSITY = 105.0


@dataclass(frozen=True)
class Bone:
    spec: SegmentSpec
    length: float
    ra: float
    rb: float
    mass: float
    moment: float


def bones(height: float) -> tuple[Bone, ...]:
    """Every segment of a figure of ``height`` meters, with mass from its silhouette area.

    >>> total = sum(b.mass for b in bones(1.8))
    >>> 55 < total < 85
    True
    """
    out = []
    for spec in SEGMENTS:
        length = spec.length * height
        ra, rb = spec.radius_a * height, spec.radius_b * height
        area = length * (ra + rb) + math.pi * 0.5 * (ra * ra + rb * rb)
        mass = AREAL_DENSITY * area
        moment = mass * (length * length / 12.0 + (ra * ra + rb * rb) / 4.0)
        out.append(Bone(spec, length, ra, rb, mass, moment))
    return tuple(out)
