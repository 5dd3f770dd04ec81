"""Where the project's own files are: the choreography folder that ships with the piece."""

from __future__ import annotations

import os
from pathlib import Path

SOURCE_ROOT = Path(__file__).resolve().parents[2]


def default_choreography() -> Path:
    """``$THERETURN_CHOREOGRAPHY``, else the repository's ``choreography/``, else ``./``'s."""
    env = os.environ.get("THERETURN_CHOREOGRAPHY")
    if env:
        return Path(env)
    shipped = SOURCE_ROOT / "choreography"
    if (shipped / "cues.toml").is_file():
        return shipped
    return Path.cwd() / "choreography"
