"""What each dancer wears, as data: colours, which segments are bare skin, the gown.

The drawing code never asks who a dancer is; it looks the dancer's costume up here by name and
reads what differs (bare parts, a gown, hair in a bun, a reflection that flickers) from it. A new
dancer, or a change of clothes, is a new row in :data:`COSTUMES`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

RGB = tuple[int, int, int]
Factor = tuple[float, float, float]


@dataclass(frozen=True)
class Gown:
    """A gown from the waist down: its fabric, the skirt's flare and what it covers."""

    colour: RGB
    #: the skirt's half-width (m) at the waist and at the hem
    waist: float = 0.11
    hem: float = 0.3
    #: segments the fabric covers (the bodice, and the legs inside the skirt), drawn in the
    #: gown's colour and fuller, so the skirt and the legs under it read as one drape
    covers: tuple[str, ...] = ("pelvis", "chest", "l_thigh", "r_thigh", "l_shin", "r_shin")
    #: how much fuller than the body each covered segment is drawn (radius factor)
    fuller: Mapping[str, float] = field(default_factory=dict)
    #: the folds' colour, as a fraction of the fabric's
    fold_shade: float = 0.8
    #: how much of the window's rim light the figure in this gown takes (the light fabric needs
    #: less to stay readable than dark clothes)
    rim: float = 0.8


@dataclass(frozen=True)
class Costume:
    """One figure's look. ``skin`` and ``hair`` None: drawn all in ``body`` (the presence)."""

    body: RGB
    skin: RGB | None = None
    hair: RGB | None = None
    #: segments drawn in ``skin``: the bare parts
    bare: tuple[str, ...] = ()
    gown: Gown | None = None
    #: the hair gathered in a bun at the back of the head
    bun: bool = False
    #: whether the side away from the windows falls into a cool shade (a glow has no shade)
    shaded: bool = True
    #: whether this figure's reflection flickers where the show asks for it (at `open`)
    reflection_flickers: bool = False


#: The lead: dark simple clothes, bare hands and feet, short dark hair; it is his reflection
#: that wavers at the opening.
LEAD = Costume(
    body=(24, 21, 23),
    skin=(92, 70, 60),
    hair=(16, 13, 12),
    bare=("l_hand", "r_hand", "l_foot", "r_foot", "neck", "head"),
    reflection_flickers=True,
)
#: The partner: a light gown, bare arms, her hair up. Whatever the gown does not cover is skin.
PARTNER = Costume(
    body=(150, 122, 106),
    skin=(150, 122, 106),
    hair=(40, 30, 26),
    bare=(
        "l_hand",
        "r_hand",
        "l_forearm",
        "r_forearm",
        "l_upper_arm",
        "r_upper_arm",
        "neck",
        "head",
        "l_foot",
        "r_foot",
    ),
    gown=Gown(
        colour=(212, 202, 188),
        fuller=MappingProxyType(
            {
                "pelvis": 1.3,
                "chest": 1.12,
                **{f"{s}_{p}": k for s in "lr" for p, k in (("thigh", 1.5), ("shin", 1.7))},
            }
        ),
    ),
    bun=True,
)
#: The third silhouette in the mirror: one pale colour, no shade (it is drawn as a glow).
PRESENCE = Costume(body=(150, 160, 178), shaded=False)

#: Each dancer's costume, by the dancer's name in the FrameState.
COSTUMES: Mapping[str, Costume] = MappingProxyType({"lead": LEAD, "partner": PARTNER})


def costume_of(name: str) -> Costume:
    """The costume of the dancer called ``name``.

    >>> costume_of("partner").gown is not None, costume_of("lead").gown is None
    (True, True)
    """
    got = COSTUMES.get(name)
    if got is None:
        known = ", ".join(sorted(COSTUMES))
        raise KeyError(
            f"render/costume.py COSTUMES: no costume for a dancer called {name!r} "
            f"(expected one of {known}); add a row for it there"
        )
    return got


@dataclass(frozen=True)
class Palette:
    """A costume's colours as they show in one light (see :func:`in_light`)."""

    body: RGB
    skin: RGB | None = None
    hair: RGB | None = None
    gown: RGB | None = None

    @staticmethod
    def plain(c: Costume) -> Palette:
        """The costume's own colours, unlit."""
        return Palette(c.body, c.skin, c.hair, c.gown.colour if c.gown is not None else None)


#: Where a lit colour starts to roll off toward white instead of clipping (0..1).
SHOULDER = 0.82


def _shoulder(v: float) -> int:
    """A lit channel (0..1 and beyond) to 0..255, rolling off softly instead of clipping.

    >>> _shoulder(0.5), _shoulder(1.0), _shoulder(3.0)
    (128, 238, 255)
    """
    if v > SHOULDER:
        room = 1.0 - SHOULDER
        v = SHOULDER + room * (1.0 - math.exp(-(v - SHOULDER) / room))
    return max(0, min(255, round(v * 255)))


def _lit_rgb(c: RGB, k: Factor) -> RGB:
    return (
        _shoulder(c[0] / 255 * k[0]),
        _shoulder(c[1] / 255 * k[1]),
        _shoulder(c[2] / 255 * k[2]),
    )


def in_light(c: Costume, k: Factor) -> Palette:
    """The costume's colours under a light ``k`` (a factor per channel): the gown glows warm in a
    shaft and turns silver after the lift; in the dim morning, away from the light, everything
    fades into the room.

    >>> dim, bright = in_light(PARTNER, (0.5, 0.5, 0.5)), in_light(PARTNER, (1.2, 1.2, 1.2))
    >>> dim.gown < bright.gown and bright.gown[0] <= 255
    True
    """
    return Palette(
        _lit_rgb(c.body, k),
        _lit_rgb(c.skin, k) if c.skin is not None else None,
        _lit_rgb(c.hair, k) if c.hair is not None else None,
        _lit_rgb(c.gown.colour, k) if c.gown is not None else None,
    )
