"""``check`` in linear time (issue 17, item 6), tested by counting work, never by timing it.

Before the fix a chain of poses each ``from`` the one before was walked again for every pose
(4,000 poses: 188 s), every problem re-read its whole file to find its line (8,000 unknown
keys: 37 s), and every unknown name was compared with every known one. The process times are
in benchmarks/check_scaling.py.
"""

from __future__ import annotations

import pytest

from thereturn_viz.show import errors, reading
from thereturn_viz.show.errors import Kind, Names
from thereturn_viz.show.reading import Checker, Source
from thereturn_viz.show.validate.poses import resolve


def chain(n: int) -> dict[str, dict[str, object]]:
    poses: dict[str, dict[str, object]] = {"neutral": {}, "p0": {"l_elbow": 10}}
    for i in range(1, n):
        poses[f"p{i}"] = {"from": f"p{i - 1}", "r_elbow": i % 90}
    return poses


@pytest.mark.parametrize("n", [100, 400, 1600])
def test_a_chain_of_poses_is_resolved_in_one_step_a_pose(n: int) -> None:
    chk = Checker(Source("poses.toml", "poses"))
    out = resolve(chain(n), set(), chk)  # type: ignore[arg-type]
    assert chk.problems == [] and len(out.poses) == n + 1
    assert out.steps == n + 1  # each pose once: the old walk took n (n + 1) / 2
    last = out.poses[f"p{n - 1}"]
    assert 10.0 in last and float((n - 1) % 90) in last


def test_a_chain_into_a_circle_is_left_out_and_the_circle_reported_once() -> None:
    poses = chain(50)
    poses["p0"]["from"] = "p49"
    chk = Checker(Source("poses.toml", "poses"))
    out = resolve(poses, set(), chk)  # type: ignore[arg-type]
    assert (
        set(out.poses) == {"neutral"} and out.steps <= 52
    )  # each pose once, and the step that closes it
    (problem,) = chk.problems
    assert problem.kind == Kind.CONFLICT and problem.path == ("p0", "from")
    circle = " -> ".join(["p0", *(f"p{i}" for i in range(49, 0, -1)), "p0"])
    assert problem.message.endswith(circle)


def test_a_file_is_laid_out_once_for_all_its_problems(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[int] = []
    real = reading.Layout.__init__

    def counting(self: reading.Layout, text: str) -> None:
        built.append(len(text))
        real(self, text)

    monkeypatch.setattr(reading.Layout, "__init__", counting)
    text = "[[keyframes]]\n" + "".join(f"k{i} = 1\n" for i in range(500))
    chk = Checker(Source("lead.toml", "lead", text))
    for i in range(500):
        chk.add(("keyframes", 0, f"k{i}"), Kind.UNKNOWN_KEY, "unknown key")
    assert len(built) == 1
    assert [p.line for p in chk.problems] == list(range(2, 502))


def test_a_suggestion_is_sought_once_per_word_among_a_bounded_pool(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pools: list[int] = []
    real = errors._closest

    def counting(word: str, choices: list[str]) -> str | None:
        pools.append(len(choices))
        return real(word, choices)

    monkeypatch.setattr(errors, "_closest", counting)
    names = Names(f"pose_{i:05d}" for i in range(5000))
    for _ in range(3):
        for word in ("pose_00042x", "pose_1234", "zz"):
            errors.closest(word, names)
    assert len(pools) == 3 and max(pools) <= errors.POOL
    assert errors.did_you_mean("pose_00042x", names) == 'did you mean "pose_00042"?'
