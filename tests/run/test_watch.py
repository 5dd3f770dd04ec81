"""Live reload: the folder watcher, the last good version, and the player picking edits up.

Time is passed in explicitly (``poll(now)``), so no test sleeps; files are edited for real.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from thereturn_viz.run.player import Player, PlayOptions
from thereturn_viz.run.watch import NOTE_SECONDS, FolderWatcher, LiveChoreography
from thereturn_viz.show.choreography import Choreography
from thereturn_viz.show.loader import load_choreography

#: Seconds of the piece a frame in the player's tests (the player waits for nothing).
STEP = 1.0 / 60.0


def move_lead(folder: Path, x: float) -> None:
    """Put the lead's every keyframe at floor position ``x``, and drop the duet's holds (with
    the lead moved away from her they would be out of reach, which ``check`` refuses)."""
    (folder / "duet.toml").write_text("# no holds\n")
    path = folder / "lead.toml"
    lines = [
        f"x = {x:.2f}" if line.startswith("x = ") else line
        for line in path.read_text().splitlines()
    ]
    path.write_text("\n".join(lines) + "\n")


def test_watcher_reports_a_change_once_it_has_settled(folder: Path) -> None:
    w = FolderWatcher(folder, interval=0.2)
    assert not w.poll(0.0)
    move_lead(folder, 1.0)
    assert not w.poll(0.1)  # too soon to look
    assert not w.poll(0.3)  # seen, not settled yet
    move_lead(folder, 1.5)  # still being written
    assert not w.poll(0.5)
    assert w.poll(0.7)  # unchanged since the last look: report it
    assert not w.poll(0.9) and not w.poll(1.1)  # once only


def test_watcher_sees_a_file_vanish_and_come_back(folder: Path) -> None:
    w = FolderWatcher(folder, interval=0.0)
    text = (folder / "duet.toml").read_bytes()
    (folder / "duet.toml").unlink()
    assert not w.poll(1.0) and w.poll(2.0)
    (folder / "duet.toml").write_bytes(text)
    assert not w.poll(3.0) and w.poll(4.0)


def test_watcher_ignores_other_files(folder: Path) -> None:
    w = FolderWatcher(folder, interval=0.0)
    (folder / "notes.txt").write_text("ideas for the second half")
    assert not w.poll(1.0) and not w.poll(2.0)


def test_a_valid_edit_goes_live_with_a_note(folder: Path) -> None:
    live = LiveChoreography(folder, load_choreography(folder), interval=0.2)
    move_lead(folder, 2.25)
    assert live.poll(10.0) is None
    fresh = live.poll(10.2)
    assert fresh is not None and live.current is fresh and live.reloads == 1
    assert {k.x for k in fresh.dancers["lead"].keyframes} == {2.25}
    assert live.lines(10.3) == ["choreography updated"]
    assert live.lines(10.2 + NOTE_SECONDS + 0.01) == []


def test_an_invalid_edit_keeps_the_last_good_version_and_says_where(folder: Path) -> None:
    good = load_choreography(folder)
    live = LiveChoreography(folder, good, interval=0.0)
    path = folder / "partner.toml"
    original = path.read_text()
    path.write_text(original.replace('pose = "', 'pose = "x_', 1))
    assert live.poll(1.0) is None and live.poll(2.0) is None
    assert live.current is good
    lines = live.lines(2.0)
    assert "still playing the last good version" in lines[0]
    assert any(line.startswith("partner.toml:") and "pose" in line for line in lines[1:])
    assert live.lines(100.0) == lines  # shown until it is fixed
    path.write_text(original)
    assert live.poll(3.0) is None
    fixed = live.poll(4.0)
    assert isinstance(fixed, Choreography) and live.problems == ()
    assert live.lines(4.1) == ["choreography updated"]


def test_reload_notes_and_problems_are_echoed_once_to_the_terminal(folder: Path) -> None:
    """A hidden window, or none, must not hide a broken save: ``play`` echoes to stderr."""
    echo = io.StringIO()
    live = LiveChoreography(folder, load_choreography(folder), interval=0.0, echo=echo)
    path = folder / "partner.toml"
    original = path.read_text()
    path.write_text(original.replace('pose = "', 'pose = "x_', 1))
    live.poll(1.0)
    live.poll(2.0)
    live.poll(3.0)  # nothing changed since: nothing printed again
    lines = echo.getvalue().splitlines()
    assert lines[0].startswith("play: choreography: 1 problem, still playing")
    assert len(lines) == 2 and "partner.toml:" in lines[1] and "x_" in lines[1]
    assert str(folder) in lines[1]  # the whole path, as check prints it
    path.write_text(original)
    live.poll(4.0)
    live.poll(5.0)
    assert echo.getvalue().splitlines()[2:] == [f"play: choreography updated from {folder}"]


def test_play_under_the_dummy_driver_says_once_that_nothing_is_shown(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chor = load_choreography(folder)
    options = PlayOptions(size=(96, 54), start=5.0, mute=True, max_frames=3, step=STEP)
    assert Player(chor, options).run() == 0
    err = capsys.readouterr().err
    assert err.count("nothing will be shown") == 1 and "'dummy'" in err


class _EditingLive(LiveChoreography):
    """Saves edits while the player runs, as a choreographer in another window would."""

    def __init__(self, folder: Path, current: Choreography) -> None:
        super().__init__(folder, current, interval=0.0)
        self.calls = 0
        self.seen: list[list[str]] = []

    def poll(self, now: float) -> Choreography | None:
        self.calls += 1
        if self.calls == 3:
            move_lead(Path(self.folder), 3.0)
        if self.calls == 8:
            path = Path(self.folder) / "lead.toml"
            path.write_text(path.read_text().replace("x = 3.00", "x = nan", 1))
        fresh = super().poll(now)
        self.seen.append(self.lines(now))
        return fresh


def test_the_player_picks_up_edits_without_a_restart(folder: Path) -> None:
    chor = load_choreography(folder)
    options = PlayOptions(size=(96, 54), start=5.0, mute=True, max_frames=12, step=STEP)
    player = Player(chor, options)
    player.live = _EditingLive(folder, chor)
    assert player.run() == 0
    assert player.live.reloads == 1
    assert player.choreography is player.live.current is not chor
    fs = player.scene.last
    assert fs is not None
    lead = next(d for d in fs.dancers if d.name == "lead")
    assert lead.joints["pelvis"][0] == pytest.approx(3.0, abs=0.3)  # moved at the current time
    assert fs.t < 6.0
    assert ["choreography updated"] in player.live.seen
    last = player.live.seen[-1]
    assert "still playing" in last[0] and "lead.keyframes[" in last[1] and "nan" in last[1]


class _OnLook(LiveChoreography):
    """Does ``act`` on its ``look``-th poll or polls (a save, a key, a failure, a resize), then
    watches as usual."""

    def __init__(
        self,
        folder: Path,
        current: Choreography,
        look: int | tuple[int, ...],
        act: Callable[[Path], None],
        interval: float = 60.0,
    ) -> None:
        super().__init__(folder, current, interval=interval)
        self.calls, self.act = 0, act
        self.looks = look if isinstance(look, tuple) else (look,)

    def poll(self, now: float) -> Choreography | None:
        self.calls += 1
        if self.calls in self.looks:
            self.act(Path(self.folder))
        return super().poll(now)


def _note_to_self(folder: Path) -> None:
    """A harmless saved change: a comment."""
    with (folder / "duet.toml").open("a") as f:
        f.write("\n# a note to self\n")


def _page_up(folder: Path) -> None:
    import pygame

    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_PAGEUP, mod=0))


def _stumble(folder: Path) -> None:
    raise RuntimeError("the watcher stumbled")


def test_after_a_reload_the_figures_stand_on_their_targets(folder: Path) -> None:
    """Not where they stood at 0 s: the reloaded piece goes on from the current time."""
    chor = load_choreography(folder)
    start = chor.sheet.time_of("partner_enters") + 8.0  # she has walked well away from her entrance
    options = PlayOptions(size=(96, 54), start=start, mute=True, max_frames=10, step=STEP)
    player = Player(chor, options)
    player.debug = True  # the overlay: each FrameState carries the target poses
    player.live = _OnLook(folder, chor, 3, _note_to_self, interval=0.0)
    assert player.run() == 0
    assert player.live.reloads == 1
    fs = player.scene.last
    assert fs is not None and start <= fs.t < start + 2.0
    for d in fs.dancers:
        target_hip = d.target[0].a  # the target pelvis segment starts at the hip
        assert d.joints["pelvis"][0] == pytest.approx(target_hip[0], abs=0.1), d.name
        assert d.tracking_error_deg < 10.0 and d.resets == 0


class _WatchedPlayer(Player):
    def __init__(self, choreography: Choreography, options: PlayOptions) -> None:
        super().__init__(choreography, options)
        self.progress: list[tuple[float, float]] = []

    def _seeking(self, t: float, done: float) -> None:
        self.progress.append((t, done))
        super()._seeking(t, done)


def test_a_long_seek_back_shows_its_progress_and_plays_on(folder: Path) -> None:
    chor = load_choreography(folder)
    cue = chor.sheet.time_of("conversation")  # half a second into a cue, PgUp goes a cue back
    start = chor.sheet.time_of("together") + 0.5
    options = PlayOptions(size=(96, 54), start=start, mute=True, max_frames=4, step=STEP)
    player = _WatchedPlayer(chor, options)
    player.live = _OnLook(folder, chor, 2, _page_up)
    assert player.run() == 0
    fs = player.scene.last
    assert fs is not None and cue <= fs.t < cue + 0.5  # back at the cue, and moving on
    assert not player.clock.paused
    # the way back re-simulated from 0 (about a second here): the bar grew as it went
    back = [done for t, done in player.progress if t == cue]
    assert back and back == sorted(back)
    assert {t for t, _ in player.progress} <= {start, cue}  # the late start showed it too


def test_play_reports_a_failure_and_plays_on(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from thereturn_viz.render.compositor import Renderer

    draw = Renderer.draw
    calls = {"n": 0, "armed": 0}

    def flaky(self: Renderer, fs: object) -> object:
        calls["n"] += calls["armed"]
        if calls["n"] == 4:
            raise ValueError("a frame that cannot be drawn")
        return draw(self, fs)  # type: ignore[arg-type]

    from thereturn_viz.run.loop import Scene

    warm = Scene.warm

    def counted_from_the_first_frame(self: Scene, t: float) -> None:
        warm(self, t)
        calls["armed"] = 1  # the looks drawn ahead of the first frame are not frames

    monkeypatch.setattr(Renderer, "draw", flaky)
    monkeypatch.setattr(Scene, "warm", counted_from_the_first_frame)
    chor = load_choreography(folder)
    start = chor.sheet.time_of("together") + 3.0
    options = PlayOptions(size=(96, 54), start=start, mute=True, max_frames=8, step=STEP)
    player = Player(chor, options)
    player.live = _OnLook(folder, chor, 2, _stumble)
    assert player.run() == 0
    assert player.failures == 2 and player.frames == 8
    err = capsys.readouterr().err
    assert err.count("a frame failed") == 1  # said once, not once a frame
    fs = player.scene.last
    assert fs is not None and start <= fs.t < start + 2.0
    for d in fs.dancers:  # after the failures the figures stand on their targets
        assert d.tracking_error_deg < 10.0 and d.resets == 0, d.name
        assert d.joints["head"][1] > d.joints["pelvis"][1] + 0.3, d.name


def test_dragging_the_window_size_rebuilds_the_picture_once_it_settles(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pygame

    from thereturn_viz.render.compositor import Renderer
    from thereturn_viz.run import player as player_module

    built: list[tuple[int, int]] = []

    class Counting(Renderer):
        def __init__(self, size: tuple[int, int]) -> None:
            built.append(size)
            super().__init__(size)

    monkeypatch.setattr(player_module, "Renderer", Counting)
    sizes = iter([(120, 68), (140, 80)])  # two steps of a drag, a few frames apart

    def drag(folder: Path) -> None:
        pygame.display.set_mode(next(sizes), pygame.RESIZABLE)

    chor = load_choreography(folder)
    # 40 frames at most 60 a second: well past the 0.3 s the size must hold
    player = Player(chor, PlayOptions(size=(96, 54), start=5.0, mute=True, max_frames=40))
    player.live = _OnLook(folder, chor, (2, 4), drag)
    assert player.run() == 0
    assert built == [(96, 54), (140, 80)]  # not one per step of the drag
    assert player.failures == 0


class _SlowLive(LiveChoreography):
    """A threaded live reload whose loader blocks until the test releases it: a save on the
    3rd frame, the release on the 30th (then the load is waited for, so the hand-over is
    deterministic); ``frames_while_loading`` counts the frames drawn meanwhile."""

    def __init__(self, folder: Path, current: Choreography) -> None:
        super().__init__(folder, current, interval=0.0, threaded=True, load=self._slow)
        self.calls = 0
        self.started = threading.Event()
        self.release = threading.Event()
        self.released_by_test = False
        self.frames_while_loading = 0

    def _slow(self, folder: Path) -> Choreography:
        self.started.set()
        # a guard, not a timing: a loop that waits for its loader never reaches frame 30, and
        # without the timeout that test would hang instead of failing
        self.released_by_test = self.release.wait(timeout=20.0)
        return load_choreography(folder)

    def poll(self, now: float) -> Choreography | None:
        self.calls += 1
        if self.calls == 3:
            _note_to_self(Path(self.folder))
        if self.started.is_set() and not self.release.is_set():
            self.frames_while_loading += 1
        if self.calls == 30:
            self.release.set()
            assert self.wait(20.0)
        return super().poll(now)


def test_the_picture_keeps_moving_while_a_slow_edit_is_checked(folder: Path) -> None:
    """Failed before the fix: the loader ran in the drawing loop, so no frame was drawn until
    it returned (a huge file saved during play froze the picture for 21 s)."""
    chor = load_choreography(folder)
    options = PlayOptions(size=(96, 54), start=5.0, mute=True, max_frames=40, step=STEP)
    player = Player(chor, options)
    player.live = live = _SlowLive(folder, chor)
    assert player.run() == 0
    assert live.released_by_test  # the frames went on until the test let the load finish
    assert live.frames_while_loading >= 25
    assert live.reloads == 1 and player.choreography is live.current is not chor
    assert not live.loading
