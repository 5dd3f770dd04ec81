"""Depth: a keyframe's distance from the mirror, carried over, eased, kept within the studio, and
the same for both dancers while they hold each other."""

from __future__ import annotations

import tomllib

import numpy as np

from thereturn_viz.show.choreography import HOME_DEPTH
from thereturn_viz.show.loader import load_choreography
from thereturn_viz.state import HOME_DEPTH as PICTURE_HOME

from ..conftest import Files, problems, the


def test_the_home_depth_is_the_pictures() -> None:
    assert HOME_DEPTH == PICTURE_HOME


def test_a_depth_beyond_the_studio_is_refused_with_its_key(files: Files) -> None:
    files.set("lead.toml", ("keyframes", 2, "depth"), "9.5")
    p = the(problems(files.folder), "lead.toml", "lead.keyframes[2].depth")
    assert "meters from the mirror" in p.message and "9.5" in p.message


def test_depth_carries_over_and_eases_like_x(files: Files) -> None:
    piece = load_choreography(files.folder)
    keys = piece.dancers["lead"].keyframes
    i = next(k for k in range(1, len(keys)) if keys[k].depth != keys[k - 1].depth)
    a, b = keys[i - 1], keys[i]
    # a keyframe with no depth of its own keeps the one before
    raw = tomllib.loads(files.read("lead.toml"))["keyframes"]
    plain = [k for k in range(1, len(raw)) if "depth" not in raw[k]]
    assert plain and all(keys[k].depth == keys[k - 1].depth for k in plain)
    mid = float(piece.dancers["lead"].sample((a.t + b.t) / 2).depth[0])
    assert min(a.depth, b.depth) < mid < max(a.depth, b.depth)


def test_a_hold_between_different_depths_is_reported_in_duet_toml(files: Files) -> None:
    piece = load_choreography(files.folder)
    hold = piece.contacts[0]
    keys = piece.dancers["lead"].keyframes
    # the lead's keyframe in effect as the hold starts, moved to the far side of the room
    i = max(k for k, kf in enumerate(keys) if kf.t <= hold.start)
    for k in (i, i + 1):
        files.set("lead.toml", ("keyframes", k, "depth"), "0.8")
    p = the(problems(files.folder), "duet.toml", "duet.contacts[0]")
    assert "different depths" in p.message and "the lead is 0.80 m" in p.message
    assert "same depth" in p.suggestion
    assert np.isfinite(hold.start)
