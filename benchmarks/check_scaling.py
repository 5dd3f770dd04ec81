"""How ``check``'s time grows with a file's size (issue 17, item 6): process time of loading the
shipped choreography with (a) a chain of N poses, each ``from`` the one before it, appended to
poses.toml, and (b) N unknown keys in the first keyframe of lead.toml. Linear time means the
ratio between N and 4N stays near 4 (a quadratic would give 16).

Run: python benchmarks/check_scaling.py [N ...]
"""

from __future__ import annotations

import contextlib
import shutil
import sys
import tempfile
import time
from pathlib import Path

from thereturn_viz.paths import default_choreography
from thereturn_viz.show.errors import ChoreographyError
from thereturn_viz.show.loader import load_choreography


def chain_of_poses(folder: Path, n: int) -> None:
    lines = ["", "[chain_0]", 'from = "stand"', "l_elbow = 10"]
    for i in range(1, n):
        lines += [f"[chain_{i}]", f'from = "chain_{i - 1}"', f"r_elbow = {i % 90}"]
    with (folder / "poses.toml").open("a") as f:
        f.write("\n".join(lines) + "\n")


def unknown_keys(folder: Path, n: int) -> None:
    path = folder / "lead.toml"
    text = path.read_text()
    at = text.index("[[keyframes]]\n") + len("[[keyframes]]\n")
    extra = "".join(f"zz_unknown_{i} = 1\n" for i in range(n))
    path.write_text(text[:at] + extra + text[at:])


def seconds(make: object, n: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "c"
        shutil.copytree(default_choreography(), folder)
        make(folder, n)  # type: ignore[operator]
        start = time.process_time()
        with contextlib.suppress(ChoreographyError):
            load_choreography(folder)
        return time.process_time() - start


def main(sizes: list[int]) -> None:
    for make in (chain_of_poses, unknown_keys):
        row = [(n, seconds(make, n)) for n in sizes]
        text = "  ".join(f"{n}: {s:.2f} s" for n, s in row)
        ratio = row[-1][1] / max(row[0][1], 1e-9)
        print(f"{make.__name__:15} {text}  (x{sizes[-1] // sizes[0]} input: x{ratio:.1f} time)")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 4000])
