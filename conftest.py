"""Set-up for every test and doctest (``tests/`` and the package's own doctests in ``src/``):
headless SDL, and a private score cache and state folder (the kiosk's log and lock) so no test
reads or fills the user's."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

# one private folder for the session, set before any test (or the score's in-memory copy) can
# reach the real one
_CACHE = tempfile.mkdtemp(prefix="thereturn-test-cache-")
os.environ["THERETURN_CACHE_DIR"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, True)
_STATE = tempfile.mkdtemp(prefix="thereturn-test-state-")
os.environ["THERETURN_STATE_DIR"] = _STATE
atexit.register(shutil.rmtree, _STATE, True)
