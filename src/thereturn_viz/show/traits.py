"""What a dancer does beyond following keyframes: carries or is carried, wears the gown, trembles.

The physics and the performance read these instead of telling the dancers apart by name, so a
third figure, or the roles given the other way round, is a change of data. The loader gives each
dancer file its traits (:func:`traits_for`); a script built without them does none of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from .anatomy import JOINTS


@dataclass(frozen=True)
class Wave:
    """One sine of a tremble, added to one joint's target angle."""

    joint: str
    amplitude: float  # degrees
    hz: float
    phase: float  # radians


@dataclass(frozen=True)
class Tremble:
    """Hands that shake while something is borne: small, fast and the same every run.

    It grows over ``ramp`` seconds from cue ``start`` and has died away by cue ``until``; a
    sheet that lacks either cue has no trembling.
    """

    waves: tuple[Wave, ...]
    start: str
    until: str
    ramp: float

    def __post_init__(self) -> None:
        unknown = [w.joint for w in self.waves if w.joint not in JOINTS]
        if unknown:
            raise ValueError(f"a tremble of unknown joints {unknown}: joints are {JOINTS}")


@dataclass(frozen=True)
class Traits:
    """What one dancer does in the duet, besides the keyframes.

    ``carries``: his hands hold the other at the waist and carry her in the lift (in a hand hold
    his is the contact's ``lead`` hand); his hands' targets are where the carried one is held.
    ``carried``: lifted by the one who carries, her hip drawn to his hands. ``gown``: a skirt
    hangs from the pelvis. ``tremble``: hands that shake between two cues (he kneels).
    """

    carries: bool = False
    carried: bool = False
    gown: bool = False
    tremble: Tremble | None = None


#: The lead's hands while he kneels over her, until her last breath: (joint, deg, Hz, phase).
KNEELING = Tremble(
    waves=(
        Wave("l_wrist", 5.0, 7.3, 0.0),
        Wave("l_wrist", 2.5, 11.9, 1.3),
        Wave("r_wrist", 5.0, 6.7, 2.1),
        Wave("r_wrist", 2.5, 12.7, 0.4),
        Wave("l_elbow", 1.8, 8.1, 0.7),
        Wave("r_elbow", 1.8, 7.7, 2.9),
    ),
    start="kneel",
    until="last_breath",
    ramp=1.0,
)

#: The traits each dancer file gives its dancer (``lead.toml``: the lead).
BY_DANCER = MappingProxyType(
    {
        "lead": Traits(carries=True, tremble=KNEELING),
        "partner": Traits(carried=True, gown=True),
    }
)


def traits_for(dancer: str) -> Traits:
    """The traits of the dancer a file is named for; none for a name the piece does not cast.

    >>> traits_for("partner").gown, traits_for("lead").carries, traits_for("understudy")
    (True, True, Traits(carries=False, carried=False, gown=False, tremble=None))
    """
    return BY_DANCER.get(dancer, Traits())
