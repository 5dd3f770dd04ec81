"""Deciding whether there is a screen, and setting SDL up to work without one."""

from __future__ import annotations

import os
import sys

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


INSTEAD = (
    "to make pictures here use 'python -m thereturn_viz export out/ --at lift_apex' or "
    "'export out.mp4', or run with a display"
)

NO_DISPLAY_MESSAGE = f"no screen found (DISPLAY is not set): {INSTEAD}"
