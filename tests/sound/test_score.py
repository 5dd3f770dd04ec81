"""The score's store: memory, then the disk cache, then the synthesizer, in that order."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from thereturn_viz.show.choreography import Choreography
from thereturn_viz.show.cues import CueSheet
from thereturn_viz.sound import score
from thereturn_viz.sound.cache import ScoreCache, read_wav, score_key
from thereturn_viz.sound.composition import RATE, Composition
from thereturn_viz.sound.score import ScoreStore, render_score, score_file

Rendered = tuple[int, NDArray[np.int16]]


class Synth:
    """Stands in for the synthesizer: counts what it is asked to make, makes a short ramp."""

    def __init__(self) -> None:
        self.made: list[Composition] = []

    def __call__(self, composition: Composition, rate: int) -> NDArray[np.int16]:
        self.made.append(composition)
        ramp = np.arange(2 * round(composition.duration * 10), dtype=np.int16)
        return ramp.reshape(-1, 2)


@pytest.fixture
def synth(monkeypatch: pytest.MonkeyPatch) -> Synth:
    fake = Synth()
    monkeypatch.setattr(score, "_synthesize", fake)
    return fake


def _piece(seconds: float) -> Composition:
    return Composition(seconds, (), (), (), (), (), seconds)


def test_the_cached_score_is_the_same_bytes_and_held_in_memory(
    rendered: Rendered,
    sheet: CueSheet,
    composition: Composition,
    store: ScoreStore,
    private_cache: Path,
) -> None:
    rate, x = rendered
    path = store.cache.path_for(score_key(composition, RATE))
    assert path.parent == private_cache and path.is_file()
    rate2, again = read_wav(path)
    assert rate2 == rate
    assert hashlib.sha256(again.tobytes()).digest() == hashlib.sha256(x.tobytes()).digest()
    assert store.render(sheet)[1] is x  # one score kept in memory, not re-read


def test_a_store_holds_one_score_made_once(tmp_path: Path, synth: Synth) -> None:
    store = ScoreStore(ScoreCache(tmp_path), rate=10)
    first = store.samples(_piece(2.0))
    assert store.samples(_piece(2.0)) is first and len(synth.made) == 1
    second = store.samples(_piece(3.0))  # another score takes the first one's place
    assert len(second) == 30 and len(synth.made) == 2
    again = store.samples(_piece(2.0))  # from the disk this time, not made again
    assert again is not first and np.array_equal(again, first) and len(synth.made) == 2
    assert sorted(p.name for p in tmp_path.glob("*.wav")) == sorted(
        f"score-{score_key(_piece(s), 10)}.wav" for s in (2.0, 3.0)
    )


def test_two_stores_share_the_disk_not_the_memory(tmp_path: Path, synth: Synth) -> None:
    one, two = ScoreStore(ScoreCache(tmp_path), 10), ScoreStore(ScoreCache(tmp_path), 10)
    a, b = one.samples(_piece(1.0)), two.samples(_piece(1.0))
    assert a is not b and np.array_equal(a, b) and len(synth.made) == 1


def test_the_wav_is_the_cached_file(tmp_path: Path, synth: Synth, sheet: CueSheet) -> None:
    store = ScoreStore(ScoreCache(tmp_path), rate=10)
    path = store.wav(sheet)
    assert path.parent == tmp_path and len(synth.made) == 1
    assert store.wav(sheet) == path and len(synth.made) == 1
    rate, samples = read_wav(path)
    assert rate == 10 and np.array_equal(samples, store.render(sheet)[1])


def test_an_unwritable_cache_gives_a_temporary_wav(
    tmp_path: Path, synth: Synth, sheet: CueSheet, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    store = ScoreStore(ScoreCache(blocker / "cache"), rate=10)
    path = store.wav(sheet)
    try:
        assert path.parent != blocker and path.name.startswith("thereturn-score-")
        assert np.array_equal(read_wav(path)[1], store.render(sheet)[1])
        assert f"score: cannot cache in {blocker / 'cache'}" in capsys.readouterr().err
    finally:
        path.unlink()


def test_the_module_functions_read_the_cache(
    choreography: Choreography, rendered: Rendered, composition: Composition
) -> None:
    rate, x = render_score(choreography)
    assert rate == rendered[0] and x is not rendered[1] and np.array_equal(x, rendered[1])
    assert score_file(choreography) == ScoreCache().path_for(score_key(composition, RATE))


def test_a_cached_score_is_read_without_loading_the_synthesizer(rendered: Rendered) -> None:
    """A start with the score in the cache must not pay for scipy (about 2 s to import)."""
    code = (
        "import sys\n"
        "from thereturn_viz.paths import default_choreography\n"
        "from thereturn_viz.show.loader import load_cues\n"
        "from thereturn_viz.sound.score import ScoreStore\n"
        "rate, x = ScoreStore().render(load_cues(default_choreography() / 'cues.toml'))\n"
        "print(len(x), sorted(m for m in sys.modules if m.split('.')[0] == 'scipy'"
        " or m.rsplit('.', 1)[-1] in ('synthesis', 'instruments', 'room')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.split() == [str(len(rendered[1])), "[]"]
