"""Export, headless: PNG stills and sequences with a manifest, or an MP4 with the score.

Video frames go to the ffmpeg bundled by ``imageio-ffmpeg`` as raw pixels through a pipe; the
score is written to a temporary WAV for the same span and muxed as AAC.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import tempfile
import threading
import wave
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np
import pygame
from numpy.typing import NDArray

from ..performance import Performance
from ..render.compositor import Renderer
from ..show.choreography import Choreography
from ..sound.clock import FrameClock
from ..sound.levels import rms_db
from ..sound.score import render_score
from .args import ExportFailed, Output, UsageError, claim_outputs
from .loop import Scene
from .trace import TraceWriter, trace_row


@dataclass(frozen=True)
class ExportJob:
    out: Path
    size: tuple[int, int]
    fps: float
    times: Sequence[float] | None  # explicit stills (--at), else the span below
    start: float
    end: float
    audio: bool = True
    film: bool = True
    trace: Path | None = None
    progress: bool = True
    seed: int = 0

    @property
    def video(self) -> bool:
        return self.out.suffix.lower() == ".mp4"

    def frames(self) -> list[int]:
        """Frame numbers to draw: round(t * fps) for stills, else every frame of the span."""
        if self.times is not None:
            return sorted({round(t * self.fps) for t in self.times})
        first = round(self.start * self.fps)
        last = round(self.end * self.fps)
        return list(range(first, max(first + 1, last)))


def frame_name(frame: int) -> str:
    """The file name of frame number ``frame``.

    >>> frame_name(42)
    'frame_000042.png'
    """
    return f"frame_{frame:06d}.png"


def _check_writable(job: ExportJob) -> None:
    """Every place the export writes, tried before a frame is drawn (and before any of them is
    created): a bad OUT or trace is a usage error named at once, not an encoder's complaint
    minutes in, and it leaves no empty OUT folder behind."""
    if job.video and job.out.is_dir():
        raise UsageError(f"{job.out}: is a folder; give a file name ending in .mp4")
    if not job.video and job.out.exists() and not job.out.is_dir():
        raise UsageError(f"{job.out}: is a file; give a folder for PNG frames, or OUT.mp4")
    outputs = [Output(job.out, "OUT", folder=not job.video)]
    if job.trace is not None:
        outputs.append(Output(job.trace, "--trace"))
    claim_outputs(outputs)


@contextmanager
def _progress(total: int, enabled: bool, desc: str) -> Iterator[object]:
    from tqdm import tqdm

    bar = tqdm(
        total=total,
        disable=not enabled or total < 10,
        desc=desc,
        unit="frame",
        file=sys.stderr,
        dynamic_ncols=True,
    )
    try:
        yield bar
    finally:
        bar.close()


def _pixel_format(surf: pygame.Surface) -> str:
    """ffmpeg's name for the surface's memory layout, so its buffer goes out without a copy."""
    masks = surf.get_masks()[:3]
    if surf.get_bytesize() == 4 and masks == (0xFF0000, 0xFF00, 0xFF):
        return "bgr0" if sys.byteorder == "little" else "0rgb"
    if surf.get_bytesize() == 4 and masks == (0xFF, 0xFF00, 0xFF0000):
        return "rgb0" if sys.byteorder == "little" else "0bgr"
    return ""


def _write_wav(path: Path, rate: int, samples: NDArray[np.int16]) -> None:
    with open(path, "wb") as f, wave.open(f, "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.ascontiguousarray(samples, dtype="<i2").tobytes())


def run_export(choreography: Choreography, job: ExportJob) -> int:
    """Write the export described by ``job``; return the number of frames written."""
    _check_writable(job)
    frames = job.frames()
    scene = Scene(Performance(choreography, seed=job.seed), Renderer(job.size), film=job.film)
    rate, score = render_score(choreography)
    trace_file: IO[str] | None = open(job.trace, "w") if job.trace else None  # noqa: SIM115
    tracer = TraceWriter(trace_file) if trace_file else None
    try:
        if job.video:
            _export_video(scene, job, frames, rate, score, tracer)
        else:
            _export_pngs(scene, job, frames, rate, score, tracer)
    finally:
        scene.renderer.close()
        if trace_file:
            trace_file.close()
    return len(frames)


def _draw(
    scene: Scene,
    frame: int,
    fps: float,
    rate: int,
    score: NDArray[np.int16],
    tracer: TraceWriter | None,
) -> pygame.Surface:
    t = FrameClock(fps, frame).now()
    surf = scene.frame(t)
    if tracer and scene.last is not None:
        rms = rms_db(score, rate, t, max(0.05, 1.0 / fps))
        tracer.write(trace_row(scene.last, frame, rms, scene.renderer.boxes))
    return surf


def _export_pngs(
    scene: Scene,
    job: ExportJob,
    frames: list[int],
    rate: int,
    score: NDArray[np.int16],
    tracer: TraceWriter | None,
) -> None:
    manifest = []
    with _progress(len(frames), job.progress, "export") as bar:
        for frame in frames:
            surf = _draw(scene, frame, job.fps, rate, score, tracer)
            name = frame_name(frame)
            try:
                pygame.image.save(surf, str(job.out / name))
            except (OSError, pygame.error) as exc:  # a full disk, a folder gone mid-export
                raise ExportFailed(f"cannot write {job.out / name}: {exc}") from None
            assert scene.last is not None
            manifest.append(
                {
                    "file": name,
                    "frame": frame,
                    "t": round(frame / job.fps, 6),
                    "cue": scene.last.cue,
                }
            )
            bar.update(1)  # type: ignore[attr-defined]
    (job.out / "manifest.json").write_text(
        json.dumps({"fps": job.fps, "size": list(job.size), "frames": manifest}, indent=1) + "\n"
    )


class _Feeder:
    """Frames handed to the encoder on a thread of their own, at most ``depth`` waiting.

    A write of a 1080p frame blocks for about as long as ffmpeg takes to convert the one before
    to yuv420p (a sixth of the export's time here); on its own thread the next frame is drawn
    meanwhile. Each frame is a bytes copy, so the picture may be redrawn at once.
    """

    def __init__(self, stream: IO[bytes], depth: int = 2) -> None:
        self._stream = stream
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=depth)
        #: why the encoder stopped taking frames (a broken pipe: it ended; see its code)
        self.error: OSError | None = None
        self._thread = threading.Thread(target=self._run, name="thereturn-encoder", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (data := self._queue.get()) is not None:
            if self.error is None:
                try:
                    self._stream.write(data)
                except OSError as exc:
                    self.error = exc

    def put(self, data: bytes) -> bool:
        """Queue a frame (waiting while ``depth`` are queued); False once writing failed."""
        if self.error is not None:
            return False
        self._queue.put(data)
        return True

    def close(self) -> None:
        """Let the queued frames go out, then stop the thread."""
        self._queue.put(None)
        self._thread.join()


def _widen(stream: IO[bytes]) -> None:
    """A pipe of 1 MB instead of 64 kB where the system allows it: a frame in 8 writes, not 127."""
    try:
        import fcntl  # noqa: PLC0415 - POSIX only

        fcntl.fcntl(stream.fileno(), fcntl.F_SETPIPE_SZ, 1 << 20)
    except (ImportError, AttributeError, OSError):  # another system, or a limit: keep the default
        pass


def _export_video(
    scene: Scene,
    job: ExportJob,
    frames: list[int],
    rate: int,
    score: NDArray[np.int16],
    tracer: TraceWriter | None,
) -> None:
    import imageio_ffmpeg

    w, h = job.size
    if w % 2 or h % 2:
        raise UsageError(f"--size {w}x{h}: H.264 in yuv420p needs an even width and height")
    probe = scene.renderer.frame
    pix_fmt = _pixel_format(probe) or "rgb24"
    first, n = frames[0], len(frames)
    with tempfile.TemporaryDirectory(prefix="thereturn-") as tmp:
        cmd = [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-y",
            "-loglevel",
            "error",
            "-f",
            "rawvideo",
            "-pix_fmt",
            pix_fmt,
            "-s",
            f"{w}x{h}",
            "-framerate",
            f"{job.fps:g}",
            "-i",
            "-",
        ]
        if job.audio:
            a0, a1 = round(first / job.fps * rate), round((first + n) / job.fps * rate)
            chunk = score[a0:a1]
            if len(chunk) < a1 - a0:
                chunk = np.concatenate([chunk, np.zeros((a1 - a0 - len(chunk), 2), np.int16)])
            wav = Path(tmp) / "score.wav"
            _write_wav(wav, rate, chunk)
            cmd += ["-i", str(wav), "-map", "0:v", "-map", "1:a", "-c:a", "aac", "-b:a", "192k"]
        cmd += [
            "-c:v",
            "libx264",
            # x264's fastest preset, a notch finer (crf 17): on two cores the encoder sets the
            # pace, and "superfast" fell behind real time. SSIM to the drawn frames 0.995 (was
            # 0.996), files about 1.4x larger
            "-preset",
            "ultrafast",
            "-crf",
            "17",
            "-pix_fmt",
            "yuv420p",
            "-movflags",
            "+faststart",
            "-t",
            f"{n / job.fps:.6f}",
            str(job.out),
        ]
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
        assert proc.stdin is not None
        _widen(proc.stdin)
        pipe = _Feeder(proc.stdin)
        try:
            with _progress(n, job.progress, "export") as bar:
                for frame in frames:
                    surf = _draw(scene, frame, job.fps, rate, score, tracer)
                    data = (
                        surf.get_buffer().raw
                        if pix_fmt != "rgb24"
                        else pygame.image.tobytes(surf, "RGB")
                    )
                    if not pipe.put(data):
                        break  # the encoder stopped: its code and message say why
                    bar.update(1)  # type: ignore[attr-defined]
        finally:
            pipe.close()
            with suppress(BrokenPipeError):  # the encoder ended early: its code says why
                proc.stdin.close()
            err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
            code = proc.wait()
        if pipe.error is not None and not isinstance(pipe.error, BrokenPipeError):
            raise ExportFailed(f"cannot feed the video encoder: {pipe.error}")
        if code != 0:
            last = err.strip().splitlines()[-1] if err.strip() else "no message"
            raise ExportFailed(f"the video encoder (ffmpeg) stopped with code {code}: {last}")
