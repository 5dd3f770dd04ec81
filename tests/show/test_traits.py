"""What each dancer does besides the keyframes (show/traits.py), as the loader gives it."""

from __future__ import annotations

import pytest

from thereturn_viz.show.choreography import Choreography
from thereturn_viz.show.traits import KNEELING, Traits, Tremble, Wave, traits_for


def test_the_loader_casts_each_dancer_file(choreography: Choreography) -> None:
    lead, partner = choreography.dancers["lead"], choreography.dancers["partner"]
    assert lead.traits == Traits(carries=True, tremble=KNEELING)
    assert partner.traits == Traits(carried=True, gown=True)


def test_a_name_the_piece_does_not_cast_does_nothing_more() -> None:
    assert traits_for("understudy") == Traits()
    assert traits_for("understudy").tremble is None


def test_he_trembles_between_kneel_and_last_breath() -> None:
    assert (KNEELING.start, KNEELING.until) == ("kneel", "last_breath")
    assert {w.joint for w in KNEELING.waves} == {"l_wrist", "r_wrist", "l_elbow", "r_elbow"}


def test_a_tremble_of_a_joint_that_does_not_exist_is_refused() -> None:
    with pytest.raises(ValueError, match="l_wirst"):
        Tremble((Wave("l_wirst", 1.0, 5.0, 0.0),), "kneel", "last_breath", 1.0)
