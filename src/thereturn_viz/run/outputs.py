"""Output files written whole or not at all: a temporary name in the same folder, a check, a
rename.

``pygame.image.save`` reports nothing when the disk fills: it leaves a truncated (or empty) file
and returns. So every file is written under a hidden temporary name beside its final one, checked
(its size; a PNG's chunks walked from the signature to ``IEND``), and only then renamed, which on
one file system replaces the old file in one step. A reader never sees half a file, and a failed
write leaves no file at all: :class:`~.args.ExportFailed` names it (exit 1).
"""

from __future__ import annotations

import contextlib
import os
import struct
from collections.abc import Callable
from pathlib import Path

import pygame

from .args import ExportFailed, part_name

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class Interrupted(Exception):
    """The export was stopped by a signal; everything it had started is cleaned away.

    ``code`` is the exit status the shell expects for the signal (128 + its number: 130 for
    SIGINT, 143 for SIGTERM) and the message is the one line to print."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


def png_problem(path: Path, size: tuple[int, int] | None = None) -> str | None:
    """Why the PNG at ``path`` is not whole (``None`` if it is): the signature, a header of
    ``size`` (width, height), and every chunk's length leading exactly to ``IEND`` at the end
    of the file. The chunks' checksums are not read: a full disk cuts a file short, it does not
    change its bytes.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> (d / "empty.png").write_bytes(b"")
    0
    >>> png_problem(d / "empty.png")
    'it is empty (0 bytes)'
    """
    try:
        total = path.stat().st_size
        if total == 0:
            return "it is empty (0 bytes)"
        with open(path, "rb") as f:
            if f.read(8) != PNG_SIGNATURE:
                return "it does not start as a PNG"
            at = 8
            first = True
            while at + 12 <= total:
                head = f.read(8)
                length, kind = struct.unpack(">I4s", head)
                if first:
                    if kind != b"IHDR" or length != 13:
                        return "its header is missing"
                    w, h = struct.unpack(">II", f.read(8))
                    if size is not None and (w, h) != tuple(size):
                        return f"its header says {w}x{h}, expected {size[0]}x{size[1]}"
                    f.seek(at + 8 + length + 4)
                    first = False
                else:
                    f.seek(length + 4, os.SEEK_CUR)
                at += 12 + length
                if kind == b"IEND":
                    break
            else:
                return f"it is cut short ({total} bytes, no end chunk)"
            if at != total:
                return f"it is cut short or has {total - at} stray bytes at the end"
    except OSError as exc:
        return f"it cannot be read back: {exc.strerror or exc}"
    except struct.error:
        return f"it is cut short ({total} bytes)"
    return None


def commit(path: Path, write: Callable[[Path], None], check: Callable[[Path], str | None]) -> None:
    """``write`` the file at a temporary name, ``check`` it, rename it to ``path``.

    Any failure (an error from ``write``, or a problem ``check`` names) removes the temporary
    file and raises :class:`ExportFailed` naming ``path``."""
    part = part_name(path)
    try:
        write(part)
        why = check(part)
        if why is None:
            os.replace(part, path)
            return
    except (OSError, pygame.error) as exc:
        why = getattr(exc, "strerror", None) or str(exc)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    with contextlib.suppress(OSError):
        part.unlink(missing_ok=True)
    raise ExportFailed(f"cannot write {path}: {why}")


def save_png(surface: pygame.Surface, path: Path) -> None:
    """A surface as a PNG at ``path``, whole or not at all."""
    size = surface.get_size()
    commit(
        path,
        lambda part: pygame.image.save(surface, str(part)),
        lambda part: png_problem(part, size),
    )


def write_bytes(path: Path, data: bytes) -> None:
    """``data`` at ``path``, whole or not at all (its size checked after the write)."""

    def write(part: Path) -> None:
        with open(part, "wb") as f:
            f.write(data)

    def check(part: Path) -> str | None:
        got = part.stat().st_size
        if got != len(data) or not data:
            return f"{got} of {len(data)} bytes written"
        return None

    commit(path, write, check)


def write_text(path: Path, text: str) -> None:
    """``text`` (UTF-8) at ``path``, whole or not at all."""
    write_bytes(path, text.encode("utf-8"))
