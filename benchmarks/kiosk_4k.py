"""What ``kiosk --render 1920x1080`` on a 4K screen costs a frame: the scale-up.

The kiosk draws the picture at 1920x1080 and :class:`Letterbox` scales it into the 3840x2160
window: nearest-neighbour (``pygame.transform.scale``, what it does) or smoothed
(``smoothscale``, softer and dearer). This times both into the window as the kiosk does, beside
a plain 1080p copy (what a 1080p screen costs instead) and beside drawing a frame at 1080p and
at 4K (what not scaling would cost). Run by hand: ``python benchmarks/kiosk_4k.py [ROUNDS]``;
read the figures beside the pace reference it prints.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable

from thereturn_viz.run.headless import use_dummy_drivers

use_dummy_drivers()

import pygame  # noqa: E402

from thereturn_viz.commands.common import load  # noqa: E402
from thereturn_viz.performance import Performance  # noqa: E402
from thereturn_viz.render.compositor import Renderer  # noqa: E402
from thereturn_viz.run.bench import reference_ms  # noqa: E402
from thereturn_viz.run.loop import Letterbox  # noqa: E402

CANVAS, SCREEN = (1920, 1080), (3840, 2160)


def _times(f: Callable[[], object], rounds: int) -> tuple[float, float, float, float]:
    """Wall time (median, 99th percentile) and the thread's CPU time (median, worst) of
    ``rounds`` calls, in ms. This is one thread's work: on a busy machine its CPU time is the
    steadier figure, since other work only lengthens the wall time."""
    wall, cpu = [], []
    for _ in range(rounds):
        a, ca = time.perf_counter(), time.thread_time()
        f()
        wall.append((time.perf_counter() - a) * 1000.0)
        cpu.append((time.thread_time() - ca) * 1000.0)
    wall.sort()
    p99 = wall[min(len(wall) - 1, int(0.99 * len(wall)))]
    return statistics.median(wall), p99, statistics.median(cpu), max(cpu)


def _row(name: str, times: tuple[float, float, float, float]) -> str:
    med, p99, cpu, cpu_max = times
    return (
        f"  {name:<30} wall median {med:6.2f} ms  p99 {p99:6.2f} ms   "
        f"CPU median {cpu:6.2f} ms  max {cpu_max:6.2f} ms"
    )


def main(rounds: int) -> None:
    pygame.display.init()
    window = pygame.display.set_mode(SCREEN)
    before = reference_ms()
    choreography = load(None)
    t = choreography.sheet.time_of("lift_apex")
    perf = Performance(choreography)
    perf.advance_to(t)
    fs = perf.frame_state(t)
    with Renderer(CANVAS) as small:
        frame = small.draw(fs)  # the first draw shades the room: not timed
        for _ in range(3):
            small.draw(fs)
        drawn_1080 = _times(lambda: small.draw(fs), max(5, rounds // 10))
    box = Letterbox(CANVAS, SCREEN)
    target = window.subsurface(box.rect)
    rows = {
        "scale (nearest, the kiosk's)": lambda: box.show(frame, window),
        "smoothscale": lambda: pygame.transform.smoothscale(frame, box.rect.size, target),
        "a 1080p copy (a 1080p screen)": lambda: window.blit(frame, (0, 0)),
    }
    print(f"{CANVAS[0]}x{CANVAS[1]} into {SCREEN[0]}x{SCREEN[1]}, {rounds} rounds each:")
    for name, f in rows.items():
        print(_row(name, _times(f, rounds)))
    with Renderer(SCREEN) as big:
        big.draw(fs)
        for _ in range(3):
            big.draw(fs)
        drawn_4k = _times(lambda: big.draw(fs), max(5, rounds // 10))
    print(_row("a frame drawn at 1080p", drawn_1080))
    print(_row("a frame drawn at 4K", drawn_4k))
    after = reference_ms()
    for when, ref in (("before", before), ("after", after)):
        print(
            f"this machine {when}: a 1920x1080 copy {ref['copy']:.2f} ms, "
            f"multiply {ref['multiply']:.2f} ms, a Python loop {ref['python']:.2f} ms"
        )
    pygame.quit()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
