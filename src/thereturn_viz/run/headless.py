"""Deciding whether there is a screen, and setting SDL up to work without one."""

from __future__ import annotations

import os
import sys


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


NO_DISPLAY_MESSAGE = (
    "no screen found (DISPLAY is not set): to make pictures here use "
    "'python -m thereturn_viz export out/ --at lift_apex' or 'export out.mp4', "
    "or run with a display"
)
