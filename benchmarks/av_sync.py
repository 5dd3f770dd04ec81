"""Picture against sound through the real path: SDL, an X server, an audio server.

Not part of CI (it needs Xvfb, PulseAudio and a minute and a half). It runs
``play --fullscreen --start CUE`` on a virtual screen (Xvfb) with its sound going to a
PulseAudio null sink, records both, and says how far the picture is from the sound.

**The sound.** ``parec`` reads the sink's monitor in 5 ms fragments; a thread here notes the
wall clock as each read returns. The samples are one continuous run, so sample ``n`` reached
the monitor at ``t0 + n / rate``; a read can return late but never early, so ``t0`` is the
smallest (arrival - samples so far / rate) over some ten thousand reads: sharp to about a
millisecond, where one packet's time stamp is good only to its length (ffmpeg's pulse input
stamps drifted by 100 ms here under load). Windows of the recording are cross-correlated with
the synthesized score (sample-accurate, a parabolic peak): each says which piece time was heard
at which wall time. A jump between windows is an underrun (the sink played silence while the
player's sound was late); they are counted.

**The picture.** ffmpeg's x11grab takes the screen 120 times a second, each frame stamped with
the wall clock as it is taken (``-use_wallclock_as_timestamps``, kept by ``-copyts``), scaled
down 8x. A run of identical captures is one displayed frame. The film look changes its grain
and flicker 12 times a second of piece time (``render.film.GRAIN_FPS``), on a schedule the piece
fixes: each displayed frame is matched to frames the renderer draws at known times (what
export draws, four inside each grain frame) to find its grain frame ``k``. The first displayed
frame of grain frame ``k`` shows a piece time between ``k / 12`` and one display interval
later (on average half an interval later, since the player's clock readings fall at random
against the grain's schedule); it appeared at most one capture interval before its first
capture (on average half). That is one timing mark every 83 ms, some 700 a minute.

**The offset** at each mark is the piece time the sound was playing when the mark appeared minus
the piece time the mark shows, in ms: positive when the picture trails the sound. EBU R37
allows the sound to come at most 40 ms before the picture and at most 60 ms after it: -60 (the
picture ahead) .. +40 (the picture behind). **Drift** is the slope of the marks'
offsets over the minute.

Usage (from the project's root, with the project's venv)::

    python benchmarks/av_sync.py                    # --start lift_apex-4, 60 s, 1024x576
    python benchmarks/av_sync.py --start 30 --seconds 20 --json
    python benchmarks/av_sync.py -- --av-offset 40  # after --: more options for play

Needs ``Xvfb``, ``pulseaudio``, ``parec`` and ``pactl`` (Debian: ``apt-get install xvfb
pulseaudio pulseaudio-utils``) and an ffmpeg with x11grab (imageio-ffmpeg's has it).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import wave
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

#: The part of the screen recorded, at full resolution (the grain must be seen pixel for pixel):
#: the brightest such tile of the picture at the start, where the grain shows most.
CROP = (256, 128)
#: Reference frames drawn inside each grain frame of the film look, and how much better (in
#: correlation) a recorded frame must match its grain frame than any other to be counted.
PER_GRAIN, MARGIN = 4, 0.04
#: Sound windows cross-correlated with the score (s) and their hop.
WINDOW, HOP = 0.25, 0.125
#: The audio server's sample rate, and the monitor's fragment (ms).
RATE, FRAGMENT_MS = 48_000, 5
#: After the sound starts, this long is left for the clock to settle before marks count (s).
SETTLE = 1.0
#: How long the player may take to start sounding (s).
STARTUP = 60.0
SINK = "avsync"


@dataclass(frozen=True)
class Result:
    start: float
    seconds: float
    screen: str
    capture_fps: float
    play_args: list[str]
    audio_read_late_ms: float  # the median read's lateness over the earliest: the anchor's scale
    sink_latency: str  # what the audio server said of the player's stream while it played
    sound_windows: int
    underruns: int  # jumps of the sound against the score (the sink played silence)
    underrun_ms: float
    display_fps: float
    marks: int  # grain frames whose first displayed frame was found
    offset_ms: float  # + the picture trails the sound
    offset_sd_ms: float
    offset_p5_ms: float
    offset_p95_ms: float
    offset_first10s_ms: float
    offset_last10s_ms: float
    drift_ms_per_min: float
    within_r37: bool
    pace_copy_ms: float  # bench's reference: a 1080p copy just before the recording (0.4 quiet)
    load_average: float  # the machine's one-minute load then (2 cores)


# -- the set-up: a screen, an audio server, recorders, the player ------------------------------


def ffmpeg_binary() -> str:
    """imageio-ffmpeg's ffmpeg when it has x11grab, else the system's."""
    candidates = []
    with contextlib.suppress(Exception):
        import imageio_ffmpeg

        candidates.append(imageio_ffmpeg.get_ffmpeg_exe())
    if found := shutil.which("ffmpeg"):
        candidates.append(found)
    for exe in candidates:
        out = subprocess.run([exe, "-hide_banner", "-devices"], capture_output=True, text=True)
        if re.search(r"\bx11grab\b", out.stdout):
            return exe
    raise SystemExit("av_sync: no ffmpeg with x11grab (imageio-ffmpeg's, or apt's ffmpeg)")


def need(tool: str) -> None:
    if shutil.which(tool) is None:
        raise SystemExit(f"av_sync: {tool} is not installed (Debian: xvfb pulseaudio-utils)")


def free_display() -> int:
    for n in range(111, 160):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return n
    raise SystemExit("av_sync: no free X display number between :111 and :159")


def wait_for(check: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    until = time.monotonic() + timeout
    while not check():
        if time.monotonic() > until:
            raise SystemExit(f"av_sync: {what} did not come within {timeout:g} s")
        time.sleep(0.05)


@contextlib.contextmanager
def process(
    argv: list[str], log: Path, env: dict[str, str], stdout: int | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """A child process for the length of the block, then stopped (SIGTERM, then SIGKILL)."""
    with open(log, "wb") as err:
        proc = subprocess.Popen(
            argv, stdout=stdout if stdout is not None else err, stderr=err, env=env
        )
        try:
            yield proc
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


def server_env(work: Path, display: int) -> dict[str, str]:
    env = dict(os.environ)
    run = work / "run"
    run.mkdir(exist_ok=True)
    env.update(
        DISPLAY=f":{display}",
        XDG_RUNTIME_DIR=str(run),
        PULSE_RUNTIME_PATH=str(run / "pulse"),
        PULSE_SERVER=f"unix:{work / 'pulse.sock'}",
        PULSE_SINK=SINK,
        SDL_VIDEODRIVER="x11",
        SDL_AUDIODRIVER="pulse",
    )
    return env


def sink_latency(env: dict[str, str]) -> str:
    """The audio server's account of the player's stream: its buffer and the sink's latency."""
    out = subprocess.run(
        ["pactl", "list", "sink-inputs"], capture_output=True, text=True, env=env
    ).stdout
    return "; ".join(ln.strip() for ln in out.splitlines() if "Latency" in ln) or "(none)"


class Tap:
    """The sink's monitor read by parec: the samples to a file, each read's arrival noted."""

    def __init__(self, proc: subprocess.Popen[bytes], path: Path) -> None:
        assert proc.stdout is not None
        self._fd = proc.stdout.fileno()
        self._out = open(path, "wb")  # noqa: SIM115 (closed by the thread)
        self.arrivals: list[tuple[float, int]] = []  # (wall clock, bytes so far)
        self.loud = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        total = 0
        while chunk := os.read(self._fd, 1 << 16):
            now = time.time()
            total += len(chunk)
            self.arrivals.append((now, total))
            self._out.write(chunk)
            if not self.loud.is_set():
                x = np.frombuffer(chunk[: len(chunk) // 2 * 2], dtype=np.int16)
                if len(x) and int(np.abs(x).max()) > 300:
                    self.loud.set()
        self._out.close()

    def join(self) -> None:
        self._thread.join(10)


def record(
    args: argparse.Namespace, work: Path, play_args: list[str], crop: tuple[int, int]
) -> str:
    """Everything up and recording until ``args.seconds`` after the sound starts; the files go
    to ``work``. Returns what the audio server said of the player's stream."""
    for tool in ("Xvfb", "pulseaudio", "pactl", "parec"):
        need(tool)
    nice = ["nice", "-n", str(args.nice)] if args.nice else []
    ffmpeg = ffmpeg_binary()
    display = free_display()
    env = server_env(work, display)
    w, h = args.screen
    xvfb = [
        *nice,
        "Xvfb",
        f":{display}",
        "-screen",
        "0",
        f"{w}x{h}x24",
        "-nolisten",
        "tcp",
        "-noreset",
    ]
    pulse = [
        *nice, "pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--disallow-exit",
        "--use-pid-file=no", "--log-target=stderr",
        "-L", f"module-native-protocol-unix socket={work / 'pulse.sock'} auth-anonymous=1",
        "-L", f"module-null-sink sink_name={SINK} rate={RATE} channels=2",
    ]  # fmt: skip
    parec = [
        *nice, "parec", f"--device={SINK}.monitor", f"--rate={RATE}", "--channels=2",
        "--format=s16le", "--raw", f"--latency-msec={FRAGMENT_MS}",
    ]  # fmt: skip
    grab = [
        *nice, ffmpeg, "-hide_banner", "-nostdin", "-nostats", "-loglevel", "info", "-copyts",
        "-thread_queue_size", "1024", "-use_wallclock_as_timestamps", "1",
        "-f", "x11grab", "-framerate", str(args.capture_fps),
        "-draw_mouse", "0", "-grab_x", str(crop[0]), "-grab_y", str(crop[1]),
        "-video_size", f"{CROP[0]}x{CROP[1]}", "-i", f":{display}",
        "-fps_mode", "passthrough", "-vf", "format=gray,showinfo=checksum=0",
        "-c:v", "rawvideo", "-f", "rawvideo", str(work / "video.gray"),
    ]  # fmt: skip
    player = [
        *nice, sys.executable, "-m", "thereturn_viz", "play", "--fullscreen",
        "--start", args.start, *play_args,
    ]  # fmt: skip
    latency = "(not read)"
    with (
        process(xvfb, work / "xvfb.log", env),
        process(pulse, work / "pulse.log", env),
    ):
        wait_for(lambda: Path(f"/tmp/.X11-unix/X{display}").exists(), "Xvfb")
        wait_for(lambda: (work / "pulse.sock").exists(), "pulseaudio")
        with (
            process(parec, work / "parec.log", env, subprocess.PIPE) as rec_sound,
            process(grab, work / "ffmpeg.log", env),
        ):
            tap = Tap(rec_sound, work / "sound.raw")
            time.sleep(1.0)
            play_env = dict(env)
            if args.source is not None:  # another version of the player (its src/ folder)
                play_env["PYTHONPATH"] = str(args.source.resolve())
            with process(player, work / "play.log", play_env) as play:
                started = time.monotonic()
                while not tap.loud.wait(0.2):
                    if play.poll() is not None or time.monotonic() - started > STARTUP:
                        log = (work / "play.log").read_text(errors="replace")
                        raise SystemExit(
                            f"av_sync: play never sounded (exit {play.poll()}):\n{log}"
                        )
                time.sleep(min(5.0, args.seconds / 2))
                latency = sink_latency(env)
                time.sleep(max(0.0, args.seconds + SETTLE + 0.5 - min(5.0, args.seconds / 2)))
                if play.poll() is not None:
                    raise SystemExit(f"av_sync: play ended early with {play.returncode}")
        tap.join()
    np.save(work / "arrivals.npy", np.array(tap.arrivals, dtype=np.float64))
    (work / "latency.txt").write_text(latency)
    return latency


# -- reading what was recorded ------------------------------------------------------------------

_INFO = re.compile(r"\] n:\s*(\d+) pts:\s*-?\d+ pts_time:(-?[0-9.]+) ")


def capture_times(log: str) -> NDArray[np.float64]:
    """The wall-clock stamp of each frame ffmpeg's showinfo filter saw."""
    return np.array(
        [float(m.group(2)) for ln in log.splitlines() if (m := _INFO.search(ln))], dtype=np.float64
    )


def read_wav(path: Path) -> tuple[int, NDArray[np.float64]]:
    with wave.open(str(path), "rb") as w:
        rate, n, ch = w.getframerate(), w.getnframes(), w.getnchannels()
        data = np.frombuffer(w.readframes(n), dtype=np.int16).reshape(-1, ch)
    return rate, data.astype(np.float64).mean(axis=1) / 32768.0


def read_raw(path: Path) -> NDArray[np.float64]:
    data = np.fromfile(path, dtype=np.int16)
    return data[: len(data) // 2 * 2].reshape(-1, 2).astype(np.float64).mean(axis=1) / 32768.0


# -- the sound's timeline -----------------------------------------------------------------------


def envelope(x: NDArray[np.float64], hop: int) -> NDArray[np.float64]:
    n = len(x) // hop
    return np.sqrt((x[: n * hop].reshape(n, hop) ** 2).mean(axis=1))


def xcorr_peak(a: NDArray[np.float64], b: NDArray[np.float64]) -> tuple[float, float]:
    """Where ``a`` sits inside the longer ``b`` (a lag in samples, parabolic), and how well
    (the normalised correlation at the peak)."""
    size = 1 << (len(a) + len(b) - 1).bit_length()
    fa, fb = np.fft.rfft(a, size), np.fft.rfft(b, size)
    c = np.fft.irfft(fb * np.conj(fa), size)[: len(b) - len(a) + 1]
    cs = np.concatenate([[0.0], np.cumsum(b * b)])
    under = cs[len(a) :] - cs[: len(b) - len(a) + 1]  # b's energy under a at each lag
    quiet = under < 1e-3 * float(a @ a)  # silence in b: no match there, not a division by 0
    ncc = np.where(quiet, 0.0, c / np.sqrt(np.maximum(under, 1e-30) * float(a @ a)))
    i = int(np.argmax(ncc))
    frac = 0.0
    if 0 < i < len(ncc) - 1:
        y0, y1, y2 = ncc[i - 1], ncc[i], ncc[i + 1]
        den = y0 - 2 * y1 + y2
        frac = 0.5 * (y0 - y2) / den if den != 0 else 0.0
    return i + frac, float(ncc[i])


def sound_timeline(
    rec: NDArray[np.float64], rate: int, score: NDArray[np.float64], start: float
) -> NDArray[np.float64]:
    """(recording sample, score sample) at the middle of each loud window of the recording."""
    w = int(WINDOW * rate)
    loud = np.nonzero(envelope(rec, w // 4) > 1e-3)[0]
    if len(loud) == 0:
        raise SystemExit("av_sync: the recording is silent: the sound did not reach the sink")
    # the first loud stretch of the recording, looked for from a little before --start on
    # (sample-accurate, within the next half minute of the score); the rest follow on from it
    lo = max(0, int((start - 5.0) * rate))
    for first in range(int(loud[0]) * (w // 4), len(rec) - w, w)[:40]:  # a start may stutter
        k, quality = xcorr_peak(rec[first : first + w], score[lo : lo + 60 * rate])
        if quality >= 0.95:
            break
    else:
        raise SystemExit("av_sync: the recording's sound is nowhere near --start in the score")
    shift = lo + k - first  # the score's sample under the recording's first
    out = []
    pad = int(0.1 * rate)
    for a in range(0, len(rec) - w, int(HOP * rate)):
        seg = rec[a : a + w]
        if np.sqrt((seg**2).mean()) < 1e-3:
            continue
        guess = int(round(shift + a))
        for reach in (pad, 30 * pad):  # near where the last window was, else after a gap
            s0 = max(0, guess - reach)
            ref = score[s0 : guess + w + reach]
            if len(ref) < w + 2:
                break
            k, quality = xcorr_peak(seg, ref)
            if quality >= 0.95:
                break
        if len(ref) < w + 2 or quality < 0.95:
            continue
        out.append((a + w / 2, s0 + k + w / 2))
        shift = s0 + k - a  # follow the sound through an underrun
    return np.array(out, dtype=np.float64)


# -- the picture's timeline ---------------------------------------------------------------------


def luma(rgb: NDArray[np.uint8]) -> NDArray[np.float32]:
    return rgb.astype(np.float32) @ np.array([0.299, 0.587, 0.114], dtype=np.float32)


def texture(x: NDArray[np.float32]) -> NDArray[np.float32]:
    """The fine detail of a picture (the grain, mostly), normalised: what is left after its
    local mean is taken away, scaled to unit variance. A gain or an affine change of the
    recorder's colour conversion leaves it as it is."""
    from scipy.ndimage import uniform_filter

    hp = x - uniform_filter(x, 5, mode="nearest")
    return ((hp - hp.mean()) / max(float(hp.std()), 1e-6)).astype(np.float32)


class Drawn:
    """The piece as export draws it, at the screen's size, stepped on from ``t_from``."""

    def __init__(self, chor_dir: Path | None, size: tuple[int, int], t_from: float) -> None:
        import pygame

        from thereturn_viz.commands.common import load
        from thereturn_viz.performance import Performance
        from thereturn_viz.render.compositor import Renderer
        from thereturn_viz.run.loop import Scene

        os.environ["SDL_VIDEODRIVER"] = "dummy"
        pygame.display.init()
        self.scene = Scene(Performance(load(chor_dir), 0), Renderer(size), film=True)
        for _ in self.scene.performance.catch_up(max(0.0, t_from - 1.0)):
            pass

    def luma(self, t: float) -> NDArray[np.float32]:
        import pygame

        rgb = pygame.surfarray.pixels3d(self.scene.frame(t))
        out = luma(np.asarray(rgb).swapaxes(0, 1))
        del rgb
        return out


def brightest_tile(picture: NDArray[np.float32], step: int = 16) -> tuple[int, int]:
    """Where a CROP-sized tile of ``picture`` is brightest: the grain is a multiply, so it
    shows most there."""
    from scipy.ndimage import uniform_filter

    cw, ch = CROP
    mean = uniform_filter(picture, (ch, cw), mode="constant")
    h, w = picture.shape
    best, at = -1.0, (0, 0)
    for y in range(0, h - ch + 1, step):
        for x in range(0, w - cw + 1, step):
            v = float(mean[y + ch // 2, x + cw // 2])
            if v > best:
                best, at = v, (x, y)
    return at


def reference_frames(
    drawn: Drawn, crop: tuple[int, int], t_from: float, t_to: float
) -> tuple[NDArray[np.float64], NDArray[np.float32]]:
    """The texture of the recorded tile in the renderer's frames, at PER_GRAIN points inside
    each of the film's grain frames over [t_from, t_to]."""
    from thereturn_viz.render.film import GRAIN_FPS

    (x, y), (cw, ch) = crop, CROP
    first, last = int(t_from * GRAIN_FPS), int(t_to * GRAIN_FPS) + 1
    times = np.array(
        [
            (k + (j + 0.5) / PER_GRAIN) / GRAIN_FPS
            for k in range(first, last)
            for j in range(PER_GRAIN)
        ]
    )
    frames = [texture(drawn.luma(float(t))[y : y + ch, x : x + cw]) for t in times]
    return times, np.stack(frames)


def grain_of(
    rec: NDArray[np.float32],
    guess: NDArray[np.float64],
    times: NDArray[np.float64],
    refs: NDArray[np.float32],
    reach: float = 0.5,
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """The film's grain frame each recorded tile belongs to, and how clearly.

    Within ``reach`` s of ``guess``, the references' mean texture (the room's edges, the same
    in all of them) is taken away from the references and the recording alike, so what is
    compared is what changes: the grain above all. The grain frame is that of the reference
    that correlates best; the margin is that correlation less the best of any other grain
    frame's.
    """
    from thereturn_viz.render.film import GRAIN_FPS

    flat = refs.reshape(len(refs), -1).astype(np.float64)
    grain = np.floor(times * GRAIN_FPS).astype(np.int64)
    ks = np.full(len(rec), -1, dtype=np.int64)
    margin = np.zeros(len(rec))
    for i, frame in enumerate(rec.reshape(len(rec), -1).astype(np.float64)):
        lo = int(np.searchsorted(times, guess[i] - reach))
        hi = int(np.searchsorted(times, guess[i] + reach))
        if hi - lo < 2 * PER_GRAIN:
            continue
        near = flat[lo:hi]
        common = near.mean(axis=0)
        varying = near - common
        varying /= np.maximum(np.linalg.norm(varying, axis=1, keepdims=True), 1e-9)
        mine = frame - common
        r = varying @ (mine / max(float(np.linalg.norm(mine)), 1e-9))
        j = int(np.argmax(r))
        ks[i] = grain[lo + j]
        margin[i] = float(r[j] - r[grain[lo:hi] != grain[lo + j]].max())
    return ks, margin


# -- putting them together ----------------------------------------------------------------------


def analyse(args: argparse.Namespace, work: Path, play_args: list[str]) -> Result:
    from thereturn_viz.commands.common import load
    from thereturn_viz.render.film import GRAIN_FPS
    from thereturn_viz.run.args import parse_piece_time
    from thereturn_viz.sound.score import score_file

    chor = load(args.choreography)
    start = parse_piece_time(args.start, chor.sheet, "--start")
    latency = (work / "latency.txt").read_text() if (work / "latency.txt").exists() else "?"
    pace_file = work / "pace.json"
    pace: dict[str, float] = json.loads(pace_file.read_text()) if pace_file.exists() else {}

    # the sound: sample n reached the monitor at t0 + n / RATE
    arrivals = np.load(work / "arrivals.npy")
    lateness = arrivals[:, 0] - arrivals[:, 1] / 4 / RATE
    t0 = float(lateness.min())
    read_late = float(np.median(lateness - t0))
    sound = read_raw(work / "sound.raw")
    _, score = read_wav(score_file(chor))
    heard = sound_timeline(sound, RATE, score, start)
    if len(heard) < 10:
        raise SystemExit("av_sync: too few windows of the recording matched the score")
    wall_heard = t0 + heard[:, 0] / RATE
    piece_heard = heard[:, 1] / RATE
    steps = np.diff(piece_heard - wall_heard)
    jumps = steps[np.abs(steps) > 0.001]

    def sound_at(wall: NDArray[np.float64]) -> NDArray[np.float64]:
        # the nearest window's piece time, carried at the rate of the wall clock: exact between
        # underruns, where a straight line through all of them would not be
        i = np.clip(np.searchsorted(wall_heard, wall), 1, len(wall_heard) - 1)
        near = np.where(wall - wall_heard[i - 1] < wall_heard[i] - wall, i - 1, i)
        return piece_heard[near] + (wall - wall_heard[near])

    # the picture: the displayed frames while the sound played, the clock settled
    cw, ch = CROP
    crop = tuple(json.loads((work / "crop.json").read_text()))
    stamps = capture_times((work / "ffmpeg.log").read_text(errors="replace"))
    raw = np.fromfile(work / "video.gray", dtype=np.uint8)
    n = min(len(raw) // (cw * ch), len(stamps))
    frames = raw[: n * cw * ch].reshape(n, ch, cw)
    stamps = stamps[:n]
    window = (stamps > wall_heard[0] + SETTLE) & (stamps < wall_heard[0] + SETTLE + args.seconds)
    idx = np.nonzero(window)[0]
    if len(idx) < 60:
        raise SystemExit("av_sync: too few frames recorded while the sound played")
    new = [int(idx[0])] + [int(i) for i in idx[1:] if not np.array_equal(frames[i], frames[i - 1])]
    shown = np.array(new)
    appeared = stamps[shown] - 0.5 / args.capture_fps
    display_fps = (len(shown) - 1) / float(appeared[-1] - appeared[0])
    tex = np.stack([texture(frames[i].astype(np.float32)) for i in shown])
    guess = sound_at(appeared)
    drawn = Drawn(args.choreography, args.screen, float(guess.min()) - 1.0)
    times, refs = reference_frames(drawn, crop, float(guess.min()) - 1.0, float(guess.max()) + 1.0)
    ks, margin = grain_of(tex, guess, times, refs)
    # a mark: the first displayed frame of a grain frame, its predecessor clearly of the last
    clear = (ks >= 0) & (margin > MARGIN)
    marks = [
        i for i in range(1, len(shown)) if clear[i] and clear[i - 1] and ks[i] == ks[i - 1] + 1
    ]
    if len(marks) < 20:
        raise SystemExit(f"av_sync: only {len(marks)} grain frames recognised in the recording")
    m = np.array(marks)
    interval = 1.0 / display_fps  # piece time between displayed frames, as wall time
    picture = ks[m] / GRAIN_FPS + interval / 2
    wall = appeared[m]
    offsets = (sound_at(wall) - picture) * 1000.0
    keep = np.abs(offsets - np.median(offsets)) < 40.0  # a misread grain frame is 83 ms off
    wall, offsets = wall[keep], offsets[keep]
    rel = wall - wall[0]
    slope = float(np.polyfit(rel, offsets, 1)[0]) if rel[-1] > 5 else float("nan")
    mean = float(offsets.mean())
    return Result(
        start=start,
        seconds=args.seconds,
        screen="x".join(map(str, args.screen)),
        capture_fps=args.capture_fps,
        play_args=play_args,
        audio_read_late_ms=read_late * 1000.0,
        sink_latency=latency,
        sound_windows=len(heard),
        underruns=len(jumps),
        underrun_ms=float(-jumps.sum() * 1000.0),
        display_fps=display_fps,
        marks=len(offsets),
        offset_ms=mean,
        offset_sd_ms=float(offsets.std()),
        offset_p5_ms=float(np.percentile(offsets, 5)),
        offset_p95_ms=float(np.percentile(offsets, 95)),
        offset_first10s_ms=float(offsets[rel < 10].mean()),
        offset_last10s_ms=float(offsets[rel > rel[-1] - 10].mean()),
        drift_ms_per_min=slope * 60.0,
        within_r37=-60.0 <= mean <= 40.0,
        pace_copy_ms=pace.get("copy", float("nan")),
        load_average=pace.get("load", float("nan")),
    )


def size(text: str) -> tuple[int, int]:
    w, _, h = text.partition("x")
    return int(w), int(h)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    play_args: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, play_args = argv[:cut], argv[cut + 1 :]
    p = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    p.add_argument("--start", default="lift_apex-4", help="play's --start (lift_apex-4)")
    p.add_argument("--seconds", type=float, default=60.0, help="how long to measure (60)")
    p.add_argument("--screen", type=size, default=(1024, 576), help="Xvfb's screen (1024x576)")
    p.add_argument("--capture-fps", type=float, default=120.0, help="x11grab's rate (120)")
    p.add_argument(
        "--nice",
        type=int,
        default=-10,
        help="run the screen, the audio server, the recorders and the player at this niceness "
        "(-10: as on a machine of their own, ahead of other work; 0 to share it evenly)",
    )
    p.add_argument(
        "--source",
        type=Path,
        default=None,
        metavar="SRC",
        help="play another version: the src/ folder of a checkout, e.g. from "
        "'git archive COMMIT src | tar -x -C DIR' (default: the installed one)",
    )
    p.add_argument("--choreography", type=Path, default=None)
    p.add_argument("--keep", type=Path, default=None, help="keep the recordings in this folder")
    p.add_argument("--analyse", type=Path, default=None, help="only analyse a kept folder")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    if "--no-film" in play_args:
        p.error("the film look's grain frames are the picture's timing marks: keep it on")
    if args.choreography is not None:
        play_args = ["--choreography", str(args.choreography), *play_args]
    if args.analyse is not None:
        work = args.analyse
    else:
        from thereturn_viz.commands.common import load
        from thereturn_viz.run.args import parse_piece_time
        from thereturn_viz.sound.score import score_file

        chor = load(args.choreography)
        score_file(chor)  # the cache filled: the player starts at once
        work = args.keep or Path(tempfile.mkdtemp(prefix="av_sync-"))
        work.mkdir(parents=True, exist_ok=True)
        start = parse_piece_time(args.start, chor.sheet, "--start")
        crop = brightest_tile(Drawn(args.choreography, args.screen, start).luma(start + 1.0))
        (work / "crop.json").write_text(json.dumps(crop))
        from thereturn_viz.run.bench import reference_ms

        pace = {"copy": reference_ms()["copy"], "load": os.getloadavg()[0]}
        (work / "pace.json").write_text(json.dumps(pace))
        record(args, work, play_args, crop)
    try:
        result = analyse(args, work, play_args)
    finally:
        if args.keep is None and args.analyse is None:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps(asdict(result), indent=2))
    else:
        for key, value in asdict(result).items():
            print(f"{key:22} {value:.2f}" if isinstance(value, float) else f"{key:22} {value}")
        verdict = "inside" if result.within_r37 else "OUTSIDE"
        print(
            f"\nthe picture {result.offset_ms:+.1f} ms against the sound (+: later), drift "
            f"{result.drift_ms_per_min:+.2f} ms/min: {verdict} EBU R37 (-60 .. +40)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
