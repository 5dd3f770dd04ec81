"""Where the kiosk and player write what went wrong: a small rotating log, bounded for weeks."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

import platformdirs

APP = "thereturn-viz"


def default_log_file() -> Path:
    return platformdirs.user_log_path(APP) / "thereturn.log"


def default_heartbeat_file() -> Path:
    return platformdirs.user_state_path(APP) / "kiosk.heartbeat"


def setup_logging(path: Path | None) -> Path | None:
    """Log to ``path`` (rotating, 3 x 1 MB) and to stderr; return the file actually used."""
    root = logging.getLogger("thereturn")
    root.setLevel(logging.INFO)
    if not any(isinstance(h, logging.StreamHandler) for h in root.handlers):
        root.addHandler(logging.StreamHandler())
    target = path or default_log_file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            target, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError as exc:
        root.warning("cannot write the log file %s: %s", target, exc)
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    return target
