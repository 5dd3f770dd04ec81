"""Deciding whether there is a screen, and setting SDL up to work without one."""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
from collections.abc import Callable, Iterator

#: SDL's drivers that open no window anyone can see.
INVISIBLE_DRIVERS = ("offscreen", "dummy", "evdev")


def use_dummy_drivers() -> None:
    """Headless work (export, bench, tests): no window, no sound device needed."""
    os.environ["SDL_VIDEODRIVER"] = "dummy"
    os.environ["SDL_AUDIODRIVER"] = "dummy"
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")


def has_display() -> bool:
    """True when a window can be opened (or a test asked for the dummy driver on purpose)."""
    if os.environ.get("SDL_VIDEODRIVER"):
        return True
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def no_display_message() -> str | None:
    """Why no window can be seen here, or None when one can.

    Opens SDL's video system to ask: with ``DISPLAY`` naming a screen that does not answer, SDL
    quietly falls back to an off-screen driver, and a player or kiosk would run unseen. A driver
    asked for on purpose (``SDL_VIDEODRIVER``, as the tests do) is taken at its word.
    """
    if os.environ.get("SDL_VIDEODRIVER"):
        return None
    if not has_display():
        return NO_DISPLAY_MESSAGE
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    if sys.platform.startswith("linux") and not os.environ.get("WAYLAND_DISPLAY"):
        # only an X screen is named: ask X alone (probing Wayland too only prints noise)
        os.environ["SDL_VIDEODRIVER"] = "x11"
    import pygame

    var = "WAYLAND_DISPLAY" if os.environ.get("WAYLAND_DISPLAY") else "DISPLAY"
    where = f"{var}={os.environ.get(var, '')}" if sys.platform.startswith("linux") else "here"
    try:
        pygame.display.init()
        driver = pygame.display.get_driver()
    except pygame.error as exc:
        return f"no screen answered at {where} ({exc}): {INSTEAD}"
    if driver in INVISIBLE_DRIVERS:
        pygame.display.quit()
        return f"no screen answered at {where} (SDL found only '{driver}'): {INSTEAD}"
    return None


@contextlib.contextmanager
def display_loss_reported(driver: str, report: Callable[[], None]) -> Iterator[bool]:
    """Have ``report`` called if the X server goes away while the ``with`` lasts; yield
    whether it could be arranged (only on SDL's X11 driver).

    When the X server dies, the X library ends the process itself (exit 1) from inside
    whichever SDL call noticed, after printing one line to stderr: no Python exception, no
    ``finally``, nothing in a log. Its "I/O error handler" is the one hook it calls first; this
    puts ``report`` there for the kiosk to write its last line, and puts the old one back
    after. The process still ends when ``report`` returns (the library allows nothing else).
    """
    library = None
    if driver == "x11":
        with contextlib.suppress(OSError):
            library = ctypes.CDLL("libX11.so.6")  # the one SDL loaded: a process has one
    if library is None:
        yield False
        return

    def lost(_display: int | None) -> int:
        with contextlib.suppress(Exception):  # nothing may be raised back into C
            report()
        return 0

    handler = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)(lost)  # kept alive by this frame
    install = library.XSetIOErrorHandler
    install.restype = ctypes.c_void_p
    install.argtypes = [ctypes.c_void_p]
    previous = install(ctypes.cast(handler, ctypes.c_void_p))
    try:
        yield True
    finally:
        install(previous)


INSTEAD = (
    "to make pictures here use 'python -m thereturn_viz export out/ --at lift_apex' or "
    "'export out.mp4', or run with a display"
)

NO_DISPLAY_MESSAGE = f"no screen found (DISPLAY is not set): {INSTEAD}"
