"""Which garbage-collection policy keeps the real-time loop's frames short.

Runs ``bench``'s real-time pass (frames as play draws them, 60 Hz, not waiting for the display)
over a span of the piece once per policy, and reports each one's collections (how many, the
longest in wall and CPU time, the most young objects one found) and the frames they made long:

- ``automatic``: Python's own collector, left on (as if the loop did nothing about it);
- ``raised``: the automatic collector with thresholds of (50000, 50, 100);
- ``every frame``: the collector off, the young generations swept after any frame that left
  700 young objects, whatever the time left (the policy before ``after_frame`` looked at it);
- ``spare time`` (what play and kiosk do): swept only in a frame that has the time left, unless
  too many have piled up.

Run by hand: ``python benchmarks/gc_policy.py [FROM TO [WxH]]`` (default 40 to 100 s, a stretch
with six of the physics' block builds, at 1920x1080). Read it beside the pace reference.
"""

from __future__ import annotations

import gc
import math
import sys

import numpy as np

from thereturn_viz.run.headless import use_dummy_drivers

use_dummy_drivers()

from thereturn_viz.commands.common import load  # noqa: E402
from thereturn_viz.run.bench import BUDGET_MS, realtime_pass, reference_ms  # noqa: E402
from thereturn_viz.run.loop import FrameCollector  # noqa: E402


class Automatic(FrameCollector):
    """Python's collector left on, with ``thresholds`` if given."""

    def __init__(self, thresholds: tuple[int, int, int] | None = None) -> None:
        super().__init__()
        self.thresholds = thresholds
        self._kept = gc.get_threshold()

    def __enter__(self) -> FrameCollector:
        if self.thresholds is not None:
            gc.set_threshold(*self.thresholds)
        gc.enable()
        return self

    def __exit__(self, *_: object) -> None:
        gc.set_threshold(*self._kept)

    def after_frame(self, spare: float = math.inf) -> bool:
        return False


class EveryFrame(FrameCollector):
    """The young generations swept after any frame that leaves enough of them."""

    def after_frame(self, spare: float = math.inf) -> bool:
        return super().after_frame(math.inf)


def main(start: float, end: float, size: tuple[int, int]) -> None:
    choreography = load(None)
    policies: dict[str, FrameCollector] = {
        "automatic": Automatic(),
        "raised": Automatic((50_000, 50, 100)),
        "every frame": EveryFrame(),
        "spare time": FrameCollector(),
    }
    before = reference_ms(size)
    print(f"{start:g} s to {end:g} s at {size[0]}x{size[1]}, 60 Hz:")
    for name, collector in policies.items():
        run = realtime_pass(choreography, size, start, end, collector=collector)
        gen = [c.generation for c in run.collections]
        cpu = np.array([c.cpu_ms for c in run.collections] or [0.0])
        wall = np.array([c.ms for c in run.collections] or [0.0])
        young = max((c.young for c in run.collections), default=0)
        with_gc = sorted({c.frame for c in run.collections})
        late = sum(run.cpu[f] > BUDGET_MS for f in with_gc)
        print(
            f"  {name:<12} collections {len(gen):4d} (gen 0/1/2: "
            f"{gen.count(0)}/{gen.count(1)}/{gen.count(2)})  longest {wall.max():6.2f} ms "
            f"(CPU {cpu.max():6.2f} ms)  all {wall.sum():7.1f} ms  most young {young:6d}  "
            f"frames with one over {BUDGET_MS:.1f} ms of CPU: {late}  "
            f"frames' CPU p99 {np.percentile(run.cpu, 99):.2f} ms  max {run.cpu.max():.2f} ms"
        )
    after = reference_ms(size)
    for when, ref in (("before", before), ("after", after)):
        print(
            f"this machine {when}: a {size[0]}x{size[1]} copy {ref['copy']:.2f} ms, "
            f"multiply {ref['multiply']:.2f} ms, a Python loop {ref['python']:.2f} ms"
        )


if __name__ == "__main__":
    args = sys.argv[1:]
    a, b = (float(args[0]), float(args[1])) if len(args) >= 2 else (40.0, 100.0)
    wh = tuple(int(v) for v in args[2].split("x")) if len(args) >= 3 else (1920, 1080)
    main(a, b, (wh[0], wh[1]))
