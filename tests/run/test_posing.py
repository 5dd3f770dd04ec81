"""``play``'s pose editor driven by scripted pygame events under the dummy driver: E, a drag
of a joint's dot, Ctrl+S, Ctrl+Z, as a choreographer would, through the player's own loop."""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable
from pathlib import Path

import pygame
import pytest

from thereturn_viz.run import posing
from thereturn_viz.run.player import Player, PlayOptions
from thereturn_viz.run.posing import Placed, PoseEditor
from thereturn_viz.run.watch import LiveChoreography
from thereturn_viz.show.anatomy import JOINTS, LIMITS, SEGMENTS
from thereturn_viz.show.choreography import Choreography
from thereturn_viz.show.loader import load_choreography
from thereturn_viz.show.posing import Change

SIZE = (640, 360)
STEP = 1.0 / 60.0


class _Script(LiveChoreography):
    """Runs the scripted action of each frame (by the loop's count of polls, one a frame)."""

    def __init__(
        self, folder: Path, current: Choreography, acts: dict[int, Callable[[], None]]
    ) -> None:
        super().__init__(folder, current, interval=60.0)
        self.calls, self.acts = 0, acts

    def poll(self, now: float) -> Choreography | None:
        self.calls += 1
        act = self.acts.get(self.calls)
        if act is not None:
            act()
        return super().poll(now)


def _player(folder: Path, start: str, frames: int, threaded: bool = False) -> Player:
    chor = load_choreography(folder)
    t = chor.sheet.time_of(start.split("+")[0]) + float(start.split("+")[1])
    options = PlayOptions(size=SIZE, start=t, mute=True, max_frames=frames, step=STEP)
    player = Player(chor, options)
    player.editor = PoseEditor(folder, threaded=threaded)
    return player


def _key(key: int, mod: int = 0) -> None:
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod))


def _lead(player: Player) -> Placed:
    placed = player.editor.placed(player.scene.last, SIZE)
    return next(p for p in placed if p.dancer.name == "lead")


def _drag(player: Player, joint: str, degrees: float, steps: int = 8) -> None:
    """Press on ``joint``'s dot of the lead, turn it about its joint so that the joint's angle
    grows by ``degrees`` (counter-clockwise in the world facing right, clockwise facing left),
    let go: the events a hand on a mouse would make."""
    p = _lead(player)
    degrees *= 1.0 if p.dancer.facing >= 0 else -1.0
    h = next(h for h in p.handles if h.joint == joint)
    dist = p.dancer.distance

    def at(turn: float) -> tuple[int, int]:
        a = math.radians(turn)
        x, y = h.tip[0] - h.pivot[0], h.tip[1] - h.pivot[1]
        world = (
            h.pivot[0] + x * math.cos(a) - y * math.sin(a),
            h.pivot[1] + x * math.sin(a) + y * math.cos(a),
        )
        sx, sy = p.view.to_screen(*world, dist)
        return round(sx), round(sy)

    post = pygame.event.post
    post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=at(0.0), button=1))
    for i in range(1, steps + 1):
        post(pygame.event.Event(pygame.MOUSEMOTION, pos=at(degrees * i / steps), buttons=(1, 0, 0)))
    post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=at(degrees), button=1))


def _changed(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="")
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]


def _segment_angle(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))


def test_a_drag_bends_the_joint_the_figure_follows_save_writes_it_undo_takes_it_back(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(posing, "SETTLE", 0.3)  # a shorter replay: fewer frames to draw
    path = folder / "poses.toml"
    original = path.read_bytes()
    seen: dict[str, object] = {}
    player = _player(folder, "open+12.5", 40)  # the lead alone: no hold keeps his arm down

    def look() -> None:  # the figure after the replay, against the edited pose
        p = _lead(player)
        seen["skeleton"] = _segment_angle(*p.bones["l_upper_arm"])
        arm = p.dancer.segment("l_upper_arm")
        seen["figure"] = _segment_angle(arm.a, arm.b)
        session = player.editor.session
        assert session is not None
        seen["change"] = session.done[-1]

    def saved() -> None:
        seen["saved"] = path.read_text()
        _key(pygame.K_z, pygame.KMOD_CTRL)
        _key(pygame.K_s, pygame.KMOD_LCTRL)

    player.live = _Script(
        folder,
        player.choreography,
        {
            2: lambda: _key(pygame.K_e),
            4: lambda: _drag(player, "l_shoulder", 40.0),  # forward, up
            30: look,
            31: lambda: _key(pygame.K_s, pygame.KMOD_CTRL),
            33: saved,
        },
    )
    assert player.run() == 0
    assert player.clock.paused and player.editor.active
    change = seen["change"]
    assert isinstance(change, Change) and change.joint == "l_shoulder"
    assert change.pose == "stand_weight_fwd" and change.before is None  # inherited
    was = load_choreography(folder).poses[change.pose][JOINTS.index("l_shoulder")]
    assert change.after is not None and abs(change.after - (was + 40.0)) <= 3.0  # a pixel's
    # poses.toml: one line more in the pose's own table, every comment kept
    text = seen["saved"]
    assert isinstance(text, str)
    old = original.decode()
    assert _changed(old, text) == [f"+l_shoulder = {change.after:g}"]
    assert f"r_ankle = -16\nl_shoulder = {change.after:g}\n\n[breathe_in]" in text
    assert [ln for ln in old.splitlines() if "#" in ln] == [
        ln for ln in text.splitlines() if "#" in ln
    ]
    # the figure followed through the physics: its upper arm within a few degrees of the pose
    skeleton, figure = seen["skeleton"], seen["figure"]
    assert isinstance(skeleton, float) and isinstance(figure, float)
    assert abs(math.remainder(figure - skeleton, 360.0)) < 8.0
    # Ctrl+Z then Ctrl+S: the file as it was, byte for byte
    assert path.read_bytes() == original
    assert "saved poses.toml" in player.editor.note


def test_a_drag_past_the_joints_range_saves_the_end_of_the_range(folder: Path) -> None:
    path = folder / "poses.toml"
    player = _player(folder, "together+3", 8)
    player.live = _Script(
        folder,
        player.choreography,
        {
            2: lambda: _key(pygame.K_e),
            4: lambda: _drag(player, "l_elbow", -300.0, steps=20),  # straight, then past it
            6: lambda: _key(pygame.K_s, pygame.KMOD_CTRL),
        },
    )
    assert player.run() == 0
    session = player.editor.session
    assert session is not None and len(session.done) == 1
    change = session.done[0]
    lo, _ = LIMITS["l_elbow"]
    assert change.joint == "l_elbow" and change.after == lo
    saved = load_choreography(folder).poses[change.pose][JOINTS.index("l_elbow")]
    assert saved == lo
    assert f"[{change.pose}]" in path.read_text()


def test_edit_mode_pauses_esc_leaves_it_and_space_plays_on_as_edited(folder: Path) -> None:
    """E while playing pauses; Esc leaves edit mode (and does not quit); Space leaves it and
    plays on with the edit, built off the loop and waited for."""
    player = _player(folder, "together+3", 14, threaded=True)
    states: list[tuple[bool, bool]] = []

    def state() -> None:
        states.append((player.editor.active, player.clock.paused))

    player.live = _Script(
        folder,
        player.choreography,
        {
            2: lambda: _key(pygame.K_e),
            3: state,
            4: lambda: _key(pygame.K_ESCAPE),
            5: state,
            6: lambda: _key(pygame.K_e),
            8: lambda: _drag(player, "r_knee", -30.0),
            10: lambda: _key(pygame.K_SPACE),
            11: state,
        },
    )
    assert player.run() == 0
    assert player.running and player.frames == 14
    assert states == [(True, True), (False, True), (False, False)]
    session = player.editor.session
    assert session is not None and session.dirty  # not saved: the file is as it was
    change = session.done[-1]
    pose = player.scene.performance.choreography.poses[change.pose]
    assert pose[JOINTS.index("r_knee")] == change.after  # the piece plays on as edited
    assert load_choreography(folder).poses[change.pose][JOINTS.index("r_knee")] != change.after
    assert not player.editor.building


def test_every_joint_has_a_dot_and_the_panel_names_the_keyframe(folder: Path) -> None:
    player = _player(folder, "together+3", 4)
    player.live = _Script(folder, player.choreography, {2: lambda: _key(pygame.K_e)})
    assert player.run() == 0
    p = _lead(player)
    assert sorted(h.joint for h in p.handles) == sorted(s.joint for s in SEGMENTS)
    lines = player.editor.lines()
    assert any(ln.startswith("lead.keyframes[") and '"together+3c"' in ln for ln in lines)
    assert any(ln.startswith("partner.keyframes[") for ln in lines)
