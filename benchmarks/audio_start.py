"""What starting or restarting the score costs the frame it happens in.

play starts the score once (and again after every seek), the kiosk at the start of every loop:
``pygame.mixer.music.play(start=t)`` on the cached WAV, through the clock that play and kiosk
use. This times that call, the clock's first reading and the position reads a frame makes,
with SDL's dummy audio driver (the mixer runs its thread as with a device, nothing is heard).
Not a test: run it by hand, ``python benchmarks/audio_start.py``, and read the figures beside
the pace reference it prints (the same one ``bench`` prints).
"""

from __future__ import annotations

import statistics
import time

from thereturn_viz.run.headless import use_dummy_drivers

use_dummy_drivers()

import pygame  # noqa: E402

from thereturn_viz.commands.common import load  # noqa: E402
from thereturn_viz.run.audio import open_mixer  # noqa: E402
from thereturn_viz.run.bench import reference_ms  # noqa: E402
from thereturn_viz.sound.clock import AudioClock  # noqa: E402

ROUNDS = 20


def _ms(f: object, rounds: int = ROUNDS) -> tuple[float, float]:
    """Median and worst wall time (ms) of ``rounds`` calls of ``f``."""
    took = []
    for _ in range(rounds):
        a = time.perf_counter()
        f()  # type: ignore[operator]
        took.append((time.perf_counter() - a) * 1000.0)
    return statistics.median(took), max(took)


def main() -> None:
    choreography = load(None)
    before = reference_ms()
    a = time.perf_counter()
    mixer = open_mixer(choreography)  # the score from the cache (synthesised once if missing)
    opened = (time.perf_counter() - a) * 1000.0
    if mixer is None:
        raise SystemExit("no mixer, even with the dummy driver")
    duration = choreography.sheet.duration
    print(f"the mixer opened and the score loaded: {opened:.1f} ms (once, before any frame)")
    for at in (0.0, 60.0, 263.0, duration - 5.0):
        med, worst = _ms(lambda at=at: mixer.play(at))
        print(f"music.play(start={at:6.1f}): median {med:6.2f} ms  worst {worst:6.2f} ms")
    med, worst = _ms(lambda: AudioClock(mixer, 0.0))
    print(
        f"a kiosk loop's restart (AudioClock(mixer, 0), which plays from 0): "
        f"median {med:.2f} ms  worst {worst:.2f} ms"
    )
    clock = AudioClock(mixer, 0.0)
    time.sleep(0.5)
    heard = mixer.position()
    print(f"playing after half a second: {pygame.mixer.music.get_busy()}, heard at {heard} s")
    med, worst = _ms(clock.now, 600)
    print(f"the clock read once a frame: median {med * 1000:.1f} us  worst {worst * 1000:.1f} us")
    mixer.close()
    after = reference_ms()
    for when, ref in (("before", before), ("after", after)):
        print(
            f"this machine {when}: a 1920x1080 copy {ref['copy']:.2f} ms, "
            f"multiply {ref['multiply']:.2f} ms, a Python loop {ref['python']:.2f} ms"
        )
    pygame.quit()


if __name__ == "__main__":
    main()
