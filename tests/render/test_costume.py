"""The costumes: data, looked up by the dancer's name, and what the drawing makes of them."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pygame
import pytest
from numpy.typing import NDArray

from thereturn_viz.render.costume import (
    COSTUMES,
    LEAD,
    PARTNER,
    PRESENCE,
    Costume,
    Palette,
    costume_of,
    in_light,
)
from thereturn_viz.render.figures import Figures
from thereturn_viz.render.light import LIGHT_STEPS, figure_light
from thereturn_viz.show.anatomy import SEGMENT_NAMES
from thereturn_viz.show.choreography import Choreography
from thereturn_viz.state import DancerState

#: Pixels per meter the figures are drawn at here: a small picture.
SCALE = 120.0


def test_every_dancer_of_the_choreography_has_a_costume(choreography: Choreography) -> None:
    assert set(choreography.dancers) <= set(COSTUMES)
    for name in choreography.dancers:
        assert costume_of(name) is COSTUMES[name]


def test_an_unknown_dancer_is_refused_saying_where_to_add_one() -> None:
    with pytest.raises(KeyError, match=r"render/costume\.py COSTUMES.*'ghost'.*lead, partner"):
        costume_of("ghost")


@pytest.mark.parametrize("name", sorted(COSTUMES))
def test_a_costume_names_only_segments_of_the_body(name: str) -> None:
    c = COSTUMES[name]
    assert set(c.bare) <= set(SEGMENT_NAMES)
    if c.gown is not None:
        assert set(c.gown.covers) <= set(SEGMENT_NAMES)
        assert set(c.gown.fuller) <= set(c.gown.covers)  # only fabric is drawn fuller
        assert all(k >= 1.0 for k in c.gown.fuller.values())
        assert not set(c.bare) & set(c.gown.covers)  # nothing is both skin and gown
        assert 0.0 < c.gown.waist < c.gown.hem  # the skirt flares


def test_what_each_dancer_wears() -> None:
    # the lead: dark clothes, bare hands, feet and head, no gown
    assert LEAD.gown is None and not LEAD.bun
    assert {"l_hand", "r_hand", "l_foot", "r_foot", "head"} <= set(LEAD.bare)
    assert "chest" not in LEAD.bare and sum(LEAD.body) < sum(LEAD.skin or (0, 0, 0))
    # the partner: a light gown over everything her bare arms, neck, head and feet do not show
    assert PARTNER.gown is not None and PARTNER.bun
    assert set(PARTNER.bare) | set(PARTNER.gown.covers) == set(SEGMENT_NAMES)
    assert sum(PARTNER.gown.colour) > sum(PARTNER.skin or (0, 0, 0)) > sum(LEAD.body)
    # the presence is a glow: one colour, no shade
    assert PRESENCE.skin is None and PRESENCE.hair is None and not PRESENCE.shaded


def test_only_the_leads_reflection_flickers() -> None:
    assert [n for n, c in COSTUMES.items() if c.reflection_flickers] == ["lead"]


def test_colours_in_the_light() -> None:
    for c in COSTUMES.values():
        plain, neutral = Palette.plain(c), in_light(c, (1.0, 1.0, 1.0))
        # a neutral light leaves colours below the shoulder as they are
        assert neutral == plain
        dim, bright = in_light(c, (0.6, 0.6, 0.6)), in_light(c, (1.6, 1.6, 1.6))
        for lo, mid, hi in zip(
            (dim.body, dim.gown),
            (neutral.body, neutral.gown),
            (bright.body, bright.gown),
            strict=True,
        ):
            if mid is None:
                continue
            assert all(a <= b <= e <= 255 for a, b, e in zip(lo, mid, hi, strict=True))
    # a warm light warms: red gains on blue
    warm = in_light(PARTNER, (1.1, 0.95, 0.8)).gown
    assert warm is not None and PARTNER.gown is not None
    assert warm[0] / warm[2] > PARTNER.gown.colour[0] / PARTNER.gown.colour[2]


def test_the_figures_keep_each_dancers_colours_per_step_of_the_light() -> None:
    figures = Figures()
    a = figures.palette("lead", LEAD, 0.5, 0.25)
    assert figures.palette("lead", LEAD, 0.5 + 0.1 / LIGHT_STEPS, 0.25) is a  # the same step
    assert a == in_light(LEAD, figure_light(0.5, 0.25))
    assert figures.palette("partner", PARTNER, 0.5, 0.25) != a
    assert figures.palette("lead", LEAD, 0.5 + 1.0 / LIGHT_STEPS, 0.25) != a  # the next step
    assert Figures().palette("lead", LEAD, 0.5, 0.25) is not a  # each layer keeps its own


def _sprite(figures: Figures, d: DancerState, c: Costume) -> tuple[NDArray[Any], tuple[int, int]]:
    def to_screen(x: float, y: float) -> tuple[float, float]:
        return (200.0 + x * SCALE, 300.0 - y * SCALE)

    made = figures.sprite(d, c, Palette.plain(c), to_screen, SCALE)
    assert made is not None
    sprite, pos = made
    rgba = np.dstack(
        [pygame.surfarray.array3d(sprite), pygame.surfarray.array_alpha(sprite)]
    ).transpose(1, 0, 2)
    return rgba.astype(int), pos


def _at(rgba: NDArray[Any], pos: tuple[int, int], d: DancerState, seg: str) -> NDArray[Any]:
    """The colour in the middle of segment ``seg`` on the sprite."""
    s = d.segment(seg)
    x, y = (s.a[0] + s.b[0]) / 2, (s.a[1] + s.b[1]) / 2
    col, row = round(200.0 + x * SCALE) - pos[0], round(300.0 - y * SCALE) - pos[1]
    px: NDArray[Any] = rgba[row, col]
    return px


def test_the_costume_says_which_parts_are_skin(standing: Any) -> None:
    d = standing("lead", 0.0)
    plain = replace(LEAD, shaded=False)  # the colours as they are, no shading across the body
    figures = Figures()
    img, pos = _sprite(figures, d, plain)
    assert _at(img, pos, d, "chest")[3] == 255  # solid
    assert np.abs(_at(img, pos, d, "chest")[:3] - plain.body).max() <= 2
    assert np.abs(_at(img, pos, d, "l_thigh")[:3] - plain.body).max() <= 2
    assert plain.skin is not None
    assert np.abs(_at(img, pos, d, "l_upper_arm")[:3] - plain.body).max() <= 2
    # bare the arm: the same figure, its arm now in skin
    bare = replace(plain, bare=(*plain.bare, "l_upper_arm"))
    img2, pos2 = _sprite(figures, d, bare)
    assert pos2 == pos
    assert np.abs(_at(img2, pos2, d, "l_upper_arm")[:3] - plain.skin).max() <= 2
    assert np.abs(_at(img2, pos2, d, "chest")[:3] - plain.body).max() <= 2


def test_a_gown_covers_what_it_says_and_adds_a_skirt(standing: Any) -> None:
    d = standing("lead", 0.0)
    figures = Figures()
    plain = replace(LEAD, shaded=False)
    gowned = replace(plain, gown=PARTNER.gown)
    assert gowned.gown is not None
    img, pos = _sprite(figures, d, plain)
    img2, pos2 = _sprite(figures, d, gowned)
    for seg in ("chest", "l_thigh"):
        assert np.abs(_at(img2, pos2, d, seg)[:3] - gowned.gown.colour).max() <= 2, seg
    assert np.abs(_at(img2, pos2, d, "l_hand")[:3] - (plain.skin or (0, 0, 0))).max() <= 2
    # the skirt flares past the legs: more of the sprite is covered, and wider at the knees
    assert (img2[..., 3] > 128).sum() > 1.3 * (img[..., 3] > 128).sum()
    knee = round(300.0 - 0.4 * SCALE)
    assert (img2[knee - pos2[1], :, 3] > 128).sum() > 2 * (img[knee - pos[1], :, 3] > 128).sum()
