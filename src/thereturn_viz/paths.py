"""Where the project's own files are: the choreography folder that ships with the piece."""

from __future__ import annotations

import os
from pathlib import Path

SOURCE_ROOT = Path(__file__).resolve().parents[2]
#: The choreography inside the installed package (in a checkout, a link to ``choreography/``).
PACKAGED = Path(__file__).resolve().parent / "choreography"


def default_choreography() -> Path:
    """``$THERETURN_CHOREOGRAPHY``, else the checkout's ``choreography/`` (where it is edited),
    else the copy installed with the package, else ``./choreography``."""
    env = os.environ.get("THERETURN_CHOREOGRAPHY")
    if env:
        return Path(env)
    for shipped in (SOURCE_ROOT / "choreography", PACKAGED):
        if (shipped / "cues.toml").is_file():
            return shipped
    return Path.cwd() / "choreography"
