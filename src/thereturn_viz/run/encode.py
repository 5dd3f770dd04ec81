"""H.264 segments and their join, with the ffmpeg bundled by ``imageio-ffmpeg``.

The film is encoded in *chunks* of :data:`CHUNK_SECONDS`, each by an encoder of its own, and the
chunks are joined without re-encoding. A chunk's bytes then depend on its own frames alone: x264's
rate control (crf) carries its history from frame to frame, so an encoder that went on past a
chunk's end would give the next chunk other pixels than one that started there. With a fresh
encoder per chunk, an export split into any number of jobs on the chunks' edges decodes to the
very frames of a one-job export. Chunks are counted from frame 0 of the piece (frame // size), so
each chunk starts with a keyframe (IDR) and no frame refers across a join (closed GOPs).
"""

from __future__ import annotations

import contextlib
import queue
import struct
import subprocess
import sys
import threading
import wave
from pathlib import Path
from typing import IO

import numpy as np
import pygame
from numpy.typing import NDArray

from .args import ExportFailed

#: The length of a chunk: a keyframe at least this often (seeking in a player stays quick), and
#: the finest split between jobs. Each chunk costs an encoder's start (about 0.1 s at 1080p).
CHUNK_SECONDS = 2.0
#: x264's settings, the same for every chunk: the fastest preset, a notch finer (crf 17). On two
#: cores the encoder set the pace and "superfast" fell behind real time; SSIM to the drawn
#: frames 0.995. Its threads are fixed rather than one and a half per core: x264's frame
#: threads bound how far a motion search may look into a frame still being encoded, so the
#: same chunk could come out otherwise on a machine with other cores (a farm's worker).
X264 = [
    "-c:v",
    "libx264",
    "-preset",
    "ultrafast",
    "-crf",
    "17",
    "-pix_fmt",
    "yuv420p",
    "-threads",
    "2",
]
#: How long a stopped encoder is given to go before it is killed (s).
STOP_GRACE = 3.0


def chunk_frames(fps: float) -> int:
    """Frames in a chunk at ``fps``.

    >>> chunk_frames(30), chunk_frames(24), chunk_frames(1)
    (60, 48, 2)
    """
    return max(1, round(CHUNK_SECONDS * fps))


def ffmpeg() -> str:
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


def pixel_format(surf: pygame.Surface) -> str:
    """ffmpeg's name for the surface's memory layout, so its buffer goes out without a copy."""
    masks = surf.get_masks()[:3]
    if surf.get_bytesize() == 4 and masks == (0xFF0000, 0xFF00, 0xFF):
        return "bgr0" if sys.byteorder == "little" else "0rgb"
    if surf.get_bytesize() == 4 and masks == (0xFF, 0xFF00, 0xFF0000):
        return "rgb0" if sys.byteorder == "little" else "0bgr"
    return ""


def frame_bytes(surf: pygame.Surface, pix_fmt: str) -> bytes:
    """The picture as the encoder reads it (a copy: the surface may be redrawn at once)."""
    if pix_fmt == "rgb24":
        return pygame.image.tobytes(surf, "RGB")
    return surf.get_buffer().raw


def stop(proc: subprocess.Popen[bytes]) -> None:
    """End a process: asked first (SIGTERM), then killed if it lingers; always waited for."""
    if proc.poll() is None:
        with contextlib.suppress(OSError):
            proc.terminate()
        try:
            proc.wait(STOP_GRACE)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(OSError):
                proc.kill()
            proc.wait()
    for stream in (proc.stdin, proc.stderr, proc.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()


def _last_words(err: bytes) -> str:
    text = err.decode(errors="replace").strip()
    return text.splitlines()[-1] if text else "no message"


def _widen(stream: IO[bytes]) -> None:
    """A pipe of 1 MB instead of 64 kB where the system allows it: a frame in 8 writes, not 127."""
    try:
        import fcntl  # noqa: PLC0415 - POSIX only

        fcntl.fcntl(stream.fileno(), fcntl.F_SETPIPE_SZ, 1 << 20)
    except (ImportError, AttributeError, OSError):  # another system, or a limit: keep the default
        pass


class ChunkEncoder:
    """Frames to one encoder per chunk, on a thread of their own, at most ``depth`` waiting
    (by default two up to 1080p, one above).

    A write of a 1080p frame blocks for about as long as ffmpeg takes to convert the one before
    (a sixth of the export's time here); on its own thread the next frame is drawn meanwhile.
    At a chunk's edge the next encoder starts at once and the last one is left to end (its last
    frames, the file's index) on a thread of its own, so the drawing never waits for it.
    :meth:`open` starts the next chunk, :meth:`put` queues a frame, :meth:`close` waits for
    every chunk and raises :class:`ExportFailed` if an encoder failed; :meth:`abort` stops
    everything at once (a signal, another job's failure).
    """

    def __init__(self, size: tuple[int, int], fps: float, pix_fmt: str, depth: int = 0) -> None:
        big = size[0] * size[1] > 1920 * 1080
        self._cmd = [
            ffmpeg(),
            "-y",
            "-hide_banner",
            "-loglevel",
            "error",
            # above 1080p ffmpeg holds one raw frame read ahead, not eight (33 MB each at 4K):
            # the drawing is the slower side there, and the encoded bytes are the same
            *(["-thread_queue_size", "1"] if big else []),
            "-f",
            "rawvideo",
            "-pix_fmt",
            pix_fmt,
            "-s",
            f"{size[0]}x{size[1]}",
            "-framerate",
            f"{fps:g}",
            "-i",
            "-",
            *X264,
            "-f",
            "mp4",
        ]
        # two frames waiting keep the encoder fed; above 1080p (33 MB a frame at 4K) one does
        depth = depth or (1 if big else 2)
        self._queue: queue.Queue[bytes | Path | None] = queue.Queue(maxsize=depth)
        self._proc: subprocess.Popen[bytes] | None = None
        self._path = Path()
        #: encoders of finished chunks, each ending on a thread of its own
        self._ending: list[tuple[subprocess.Popen[bytes], threading.Thread]] = []
        self._aborted = False
        #: why encoding stopped (the first failure), or None
        self.error: str | None = None
        self._thread = threading.Thread(target=self._run, name="thereturn-encoder", daemon=True)
        self._thread.start()

    # -- the encoder thread --------------------------------------------------------------

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            if self.error is not None or self._aborted:
                continue  # drain: the export is ending
            try:
                if isinstance(item, Path):
                    self._hand_over()
                    self._start(item)
                else:
                    assert self._proc is not None and self._proc.stdin is not None
                    self._proc.stdin.write(item)
            except OSError as exc:
                self._fail(exc)
        if self.error is None and not self._aborted:
            self._hand_over()
        for _, thread in self._ending:
            thread.join()

    def _start(self, path: Path) -> None:
        # a session of its own: a Ctrl+C at the terminal reaches the export, which stops the
        # encoder itself (and removes what it wrote), rather than ffmpeg finishing a file
        self._proc = subprocess.Popen(
            [*self._cmd, str(path)],
            stdin=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        assert self._proc.stdin is not None
        _widen(self._proc.stdin)
        self._path = path

    def _hand_over(self) -> None:
        """The current chunk is complete: let its encoder end on a thread of its own."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        thread = threading.Thread(
            target=self._finish, args=(proc, self._path), name="thereturn-chunk", daemon=True
        )
        thread.start()
        self._ending.append((proc, thread))

    def _finish(self, proc: subprocess.Popen[bytes], path: Path) -> None:
        assert proc.stdin is not None and proc.stderr is not None
        try:
            with contextlib.suppress(BrokenPipeError):
                proc.stdin.close()
            err = proc.stderr.read()
            code = proc.wait()
            proc.stderr.close()
        except (OSError, ValueError) as exc:  # stopped meanwhile (abort)
            self._note(f"the video encoder of {path.name} failed: {exc}")
            return
        if code != 0:
            self._note(f"the video encoder (ffmpeg) stopped with code {code}: {_last_words(err)}")
            return
        why = mp4_problem(path)
        if why is not None:
            self._note(f"the video encoder wrote a broken {path.name}: {why}")

    def _note(self, why: str) -> None:
        if self.error is None and not self._aborted:
            self.error = why

    def _fail(self, exc: OSError) -> None:
        """A write refused: the encoder ended (its code and words say why) or the pipe broke."""
        proc, self._proc = self._proc, None
        if proc is None:
            self._note(f"cannot feed the video encoder: {exc}")
            return
        err = b""
        with contextlib.suppress(OSError, ValueError):
            proc.stdin.close()  # type: ignore[union-attr]
        with contextlib.suppress(OSError, ValueError):
            err = proc.stderr.read()  # type: ignore[union-attr]
        try:
            code = proc.wait(STOP_GRACE)
        except subprocess.TimeoutExpired:
            stop(proc)
            code = proc.returncode
        if isinstance(exc, BrokenPipeError) or code:
            self._note(f"the video encoder (ffmpeg) stopped with code {code}: {_last_words(err)}")
        else:
            self._note(f"cannot feed the video encoder: {exc}")
        stop(proc)

    # -- the drawing thread --------------------------------------------------------------

    def open(self, path: Path) -> bool:
        """Begin a new chunk written to ``path``; False once encoding failed."""
        return self._put(path)

    def put(self, data: bytes) -> bool:
        """Queue a frame (waiting while ``depth`` are queued); False once encoding failed."""
        return self._put(data)

    def _put(self, item: bytes | Path) -> bool:
        if self.error is not None:
            return False
        self._queue.put(item)
        return True

    def close(self) -> None:
        """Let the queued frames go out and every chunk end; raise if any encoder failed."""
        self._queue.put(None)
        self._thread.join()
        if self.error is not None:
            raise ExportFailed(self.error)

    def abort(self) -> None:
        """Stop at once: the running encoders are stopped, queued frames are dropped."""
        self._aborted = True
        for proc in [self._proc, *(p for p, _ in self._ending)]:
            if proc is not None:
                stop(proc)  # a write blocked on its pipe fails now, and the thread drains
        with contextlib.suppress(queue.Empty):
            while True:
                self._queue.get_nowait()
        self._queue.put(None)
        self._thread.join(STOP_GRACE + 1)
        for proc in [self._proc, *(p for p, _ in self._ending)]:
            if proc is not None:  # started meanwhile
                stop(proc)


def mp4_problem(path: Path) -> str | None:
    """Why the MP4 at ``path`` is not a whole file (None if it is): its top-level boxes must
    fill it exactly, and hold a file type, an index (moov) and the media (mdat). A file cut
    short by a full disk, or left by an encoder that was stopped, fails this.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> (d / "a.mp4").write_bytes(b"\\x00\\x00\\x00\\x08ftyp")
    8
    >>> mp4_problem(d / "a.mp4")
    'it has no moov, mdat'
    """
    try:
        total = path.stat().st_size
        if total == 0:
            return "it is empty (0 bytes)"
        seen: set[bytes] = set()
        with open(path, "rb") as f:
            at = 0
            while at < total:
                f.seek(at)
                head = f.read(16)
                if len(head) < 8:
                    return f"it is cut short ({total} bytes)"
                size, kind = struct.unpack(">I4s", head[:8])
                if size == 1:
                    if len(head) < 16:
                        return f"it is cut short ({total} bytes)"
                    size = struct.unpack(">Q", head[8:16])[0]
                elif size == 0:
                    size = total - at
                if size < 8 or at + size > total:
                    return f"it is cut short ({total} bytes, a box runs past the end)"
                seen.add(kind)
                at += size
    except OSError as exc:
        return f"it cannot be read back: {exc.strerror or exc}"
    missing = [k.decode() for k in (b"ftyp", b"moov", b"mdat") if k not in seen]
    return f"it has no {', '.join(missing)}" if missing else None


def write_wav(path: Path, rate: int, samples: NDArray[np.int16]) -> None:
    with open(path, "wb") as f, wave.open(f, "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.ascontiguousarray(samples, dtype="<i2").tobytes())


def audio_span(
    score: NDArray[np.int16], rate: int, first: int, n: int, fps: float
) -> NDArray[np.int16]:
    """The score under frames ``first`` to ``first + n``, padded with silence past its end.

    >>> audio_span(np.ones((10, 2), np.int16), 10, 1, 2, 1.0).shape
    (20, 2)
    """
    a0, a1 = round(first / fps * rate), round((first + n) / fps * rate)
    chunk = score[a0:a1]
    if len(chunk) < a1 - a0:
        chunk = np.concatenate([chunk, np.zeros((a1 - a0 - len(chunk), 2), np.int16)])
    return chunk


def join(segments: list[Path], out: Path, seconds: float, wav: Path | None, work: Path) -> None:
    """The segments one after the other into ``out`` (an MP4, whatever its name) without
    re-encoding, with the score from ``wav`` as AAC muxed once over the whole; raise
    :class:`ExportFailed` if ffmpeg fails or leaves a broken file."""
    listing = work / "segments.txt"
    listing.write_text("".join(f"file '{_quoted(p)}'\n" for p in segments))
    cmd = [ffmpeg(), "-y", "-hide_banner", "-loglevel", "error"]
    cmd += ["-f", "concat", "-safe", "0", "-i", str(listing)]
    if wav is not None:
        cmd += ["-i", str(wav), "-map", "0:v", "-map", "1:a", "-c:a", "aac", "-b:a", "192k"]
    else:
        cmd += ["-map", "0:v"]
    cmd += ["-c:v", "copy", "-movflags", "+faststart", "-t", f"{seconds:.6f}", "-f", "mp4"]
    cmd.append(str(out))
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        _, err = proc.communicate()
    finally:
        stop(proc)
    if proc.returncode != 0:
        raise ExportFailed(
            f"joining the video (ffmpeg) stopped with code {proc.returncode}: {_last_words(err)}"
        )
    why = mp4_problem(out)
    if why is not None:
        raise ExportFailed(f"joining the video left a broken file: {why}")


def _quoted(path: Path) -> str:
    """A path for ffmpeg's concat list, its quotes escaped.

    >>> _quoted(Path("/tmp/it's.mp4"))
    "/tmp/it'\\\\''s.mp4"
    """
    return str(path.resolve()).replace("'", "'\\''")


def segment_name(chunk: int) -> str:
    """The file of chunk number ``chunk`` in the work folder.

    >>> segment_name(7)
    'segment_000007.mp4'
    """
    return f"segment_{chunk:06d}.mp4"


def chunks_of(frames: list[int], size: int) -> list[list[int]]:
    """Consecutive frames grouped by chunk (frame // size).

    >>> chunks_of([58, 59, 60, 61], 60)
    [[58, 59], [60, 61]]
    """
    out: list[list[int]] = []
    for f in frames:
        if out and out[-1][-1] // size == f // size:
            out[-1].append(f)
        else:
            out.append([f])
    return out
