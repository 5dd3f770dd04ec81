"""The score's disk cache: keyed by the composition's own data and the synthesizer's version;
and under damage (issue 17, item 5): a checksum beside each entry, a length checked against the
composition, no ``.part`` left behind, only the newest few entries kept, and ``score OUT`` onto
a full disk leaving no truncated OUT.

Each test has a cache folder of its own and small made-up scores, so nothing is synthesized.
"""

from __future__ import annotations

import dataclasses
import errno
import os
import time
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from thereturn_viz.run import score as run_score_module
from thereturn_viz.run.args import ExportFailed
from thereturn_viz.run.score import ScoreJob, run_score
from thereturn_viz.sound import cache
from thereturn_viz.sound.cache import ENV, ScoreCache, cache_dir, read_wav, score_key, write_wav
from thereturn_viz.sound.composition import RATE, SYNTHESIS_VERSION, Composition, Seeds


def test_the_key_follows_the_composition_the_rate_and_the_version(
    composition: Composition,
) -> None:
    key = score_key(composition, RATE)
    assert key == score_key(dataclasses.replace(composition), RATE)  # equal data, equal key
    first, *rest = composition.notes
    moved = dataclasses.replace(first, t=first.t + 1e-6)
    others = [
        dataclasses.replace(composition, notes=(moved, *rest)),
        dataclasses.replace(composition, seeds=Seeds(room=1)),
        dataclasses.replace(composition, heartbeats=composition.heartbeats[1:]),
    ]
    keys = {score_key(c, RATE) for c in others}
    keys |= {score_key(composition, 44_100), score_key(composition, RATE, SYNTHESIS_VERSION + 1)}
    assert len(keys) == 5 and key not in keys


def test_the_key_reads_no_source_file(
    composition: Composition, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key is the composition's data alone: no file is read to make it."""
    key = score_key(composition, RATE)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a file was read")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    monkeypatch.setattr(Path, "read_text", refuse)
    monkeypatch.setattr(Path, "open", refuse)
    assert score_key(composition, RATE) == key


def test_the_folder_is_the_override_or_the_user_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV, str(tmp_path))
    assert cache_dir() == tmp_path and ScoreCache().folder == tmp_path
    monkeypatch.delenv(ENV)
    assert cache_dir().name == "thereturn-viz"
    assert ScoreCache(tmp_path / "x").path_for("abc") == tmp_path / "x" / "score-abc.wav"


def _samples(n: int = 100) -> np.ndarray:
    return (np.arange(2 * n, dtype=np.int16) - n).reshape(-1, 2)


def test_a_wav_reads_back_as_written(tmp_path: Path) -> None:
    path = tmp_path / "x.wav"
    write_wav(path, 8000, _samples())
    rate, again = read_wav(path)
    assert rate == 8000 and again.dtype == np.int16 and np.array_equal(again, _samples())


def test_load_or_make_makes_once_then_reads(tmp_path: Path) -> None:
    store = ScoreCache(tmp_path / "new")  # made when first needed
    made: list[int] = []

    def make() -> np.ndarray:
        made.append(1)
        return _samples()

    first = store.load_or_make("k", 8000, make)
    again = store.load_or_make("k", 8000, make)
    assert len(made) == 1 and np.array_equal(first, again)
    assert store.cached_path("k", 8000) == tmp_path / "new" / "score-k.wav"
    assert store.cached_path("other", 8000) is None
    assert not list((tmp_path / "new").glob("*.part"))  # written aside, then renamed


@pytest.mark.parametrize("damage", ["garbage", "truncated", "other rate"])
def test_a_damaged_or_foreign_file_is_made_again(tmp_path: Path, damage: str) -> None:
    store = ScoreCache(tmp_path)
    path = store.path_for("k")
    if damage == "garbage":
        path.write_bytes(b"not a wav at all")
    else:
        write_wav(path, 8000 if damage == "truncated" else 44_100, _samples())
        if damage == "truncated":
            path.write_bytes(path.read_bytes()[:-10])
    got = store.load_or_make("k", 8000, _samples)
    assert np.array_equal(got, _samples())
    rate, kept = read_wav(path)
    assert rate == 8000 and np.array_equal(kept, _samples())


def test_an_unwritable_folder_still_gives_the_samples(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    got = ScoreCache(blocker / "cache").load_or_make("k", 8000, _samples)
    assert np.array_equal(got, _samples())
    assert f"score: cannot cache in {blocker / 'cache'}" in capsys.readouterr().err


def test_a_file_that_is_not_a_wav_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.wav"
    path.write_bytes(b"RIFF\x00\x00\x00\x00WAVE")
    with pytest.raises(ValueError, match="no data chunk"):
        read_wav(path)


# -- under damage (issue 17, item 5) ----------------------------------------------------------

FRAMES = 4_800


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def samples(seed: int = 1, frames: int = FRAMES) -> NDArray[np.int16]:
    return np.random.default_rng(seed).integers(-9000, 9000, (frames, 2)).astype(np.int16)


class Maker:
    """``make`` for load_or_make, counting its calls."""

    def __init__(self, seed: int = 1) -> None:
        self.calls, self.seed = 0, seed

    def __call__(self) -> NDArray[np.int16]:
        self.calls += 1
        return samples(self.seed)


def test_an_entry_is_kept_with_its_checksum_and_read_back(folder: Path) -> None:
    make = Maker()
    first = ScoreCache(folder).load_or_make("k", RATE, make, FRAMES)
    again = ScoreCache(folder).load_or_make("k", RATE, make, FRAMES)
    assert make.calls == 1 and np.array_equal(first, again)
    sums = folder / "score-k.wav.sha256"
    assert sums.read_text().strip() == cache.digest(first)


def test_random_bytes_in_the_samples_are_caught_and_the_score_made_again(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Failed before the fix: only the header was checked, the damaged samples were played."""
    make = Maker()
    good = ScoreCache(folder).load_or_make("k", RATE, make, FRAMES)
    path = folder / "score-k.wav"
    data = bytearray(path.read_bytes())
    data[-4000:-2000] = np.random.default_rng(9).bytes(2000)
    path.write_bytes(bytes(data))
    assert ScoreCache(folder).cached_path("k", RATE, FRAMES) is None  # the mixer never streams it
    again = ScoreCache(folder).load_or_make("k", RATE, make, FRAMES)
    assert make.calls == 2 and np.array_equal(again, good)
    assert "checksum" in capsys.readouterr().err
    assert ScoreCache(folder).cached_path("k", RATE, FRAMES) == path  # rebuilt, whole again


def test_a_header_that_claims_a_short_data_chunk_is_caught(folder: Path) -> None:
    """Failed before the fix: "wrote 0.0 s of score" and silent audio from such a header."""
    make = Maker()
    ScoreCache(folder).load_or_make("k", RATE, make, FRAMES)
    path = folder / "score-k.wav"
    data = bytearray(path.read_bytes())
    at = data.index(b"data") + 4
    data[at : at + 4] = (0).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    # the checksum agreeing with what the header claims: only the length can tell
    (folder / "score-k.wav.sha256").write_text(cache.digest(samples()[:0]))
    again = ScoreCache(folder).load_or_make("k", RATE, make, FRAMES)
    assert make.calls == 2 and len(again) == FRAMES


def test_a_failed_write_leaves_no_part_file(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Failed before the fix: the .part of a failed cache write stayed behind."""

    def full_disk(path: Path, rate: int, x: NDArray[np.int16]) -> None:
        path.write_bytes(b"RIFF" + bytes(100))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(cache, "write_wav", full_disk)
    got = ScoreCache(folder).load_or_make("k", RATE, Maker(), FRAMES)
    assert len(got) == FRAMES  # the score is still played, only not kept
    assert sorted(p.name for p in folder.iterdir()) == []
    assert "No space left" in capsys.readouterr().err


def test_stale_part_files_of_crashed_runs_are_cleaned_and_fresh_ones_kept(folder: Path) -> None:
    folder.mkdir()
    old, young = folder / "score-a.wav.123.part", folder / "score-b.wav.456.part"
    for part in (old, young):
        part.write_bytes(b"half a score")
    long_ago = time.time() - cache.STALE_PART_SECONDS - 60
    os.utime(old, (long_ago, long_ago))
    ScoreCache(folder).load_or_make("k", RATE, Maker(), FRAMES)
    assert not old.exists() and young.exists()  # the young one may be another run's


def test_only_the_most_recently_used_entries_are_kept(folder: Path) -> None:
    """Failed before the fix: nothing was ever removed (77 MB a cue sheet)."""
    for i in range(cache.KEEP):
        ScoreCache(folder).load_or_make(f"k{i}", RATE, Maker(i), FRAMES)
        stamp = time.time() - 1000 + i  # in the order made, whatever the clock's resolution
        os.utime(folder / f"score-k{i}.wav", (stamp, stamp))
    ScoreCache(folder).load_or_make("k0", RATE, Maker(0), FRAMES)  # used again: now the newest
    ScoreCache(folder).load_or_make("new", RATE, Maker(7), FRAMES)
    kept = sorted(p.name for p in folder.glob("score-*.wav"))
    assert len(kept) == cache.KEEP and "score-k1.wav" not in kept
    assert {"score-k0.wav", "score-new.wav"} <= set(kept)
    assert sorted(p.name for p in folder.glob("*.sha256")) == [k + ".sha256" for k in kept]


def test_score_onto_a_full_disk_leaves_no_truncated_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writer fills the disk half way: exit with the file named, and no OUT, no part."""

    def full_disk(path: Path, rate: int, x: NDArray[np.int16]) -> None:
        path.write_bytes(b"RIFF" + bytes(1000))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(run_score_module, "render_score", lambda c: (RATE, samples()))
    monkeypatch.setattr(run_score_module, "write_wav", full_disk)
    out = tmp_path / "s.wav"
    with pytest.raises(ExportFailed, match="s.wav"):
        run_score(None, ScoreJob(out))  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []
