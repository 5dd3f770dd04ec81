"""The render farm (``export --scheduler``) on a Dask cluster run inside the test's process:
the same film as a one-job export, and a worker's refusal of a job built otherwise."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from thereturn_viz.cli import main

from .test_export_jobs import SPAN, framemd5

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """The address of a local cluster: two workers of one thread each, on the loopback."""
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=False,
        protocol="tcp",
        host="127.0.0.1",
        dashboard_address=None,
    )
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def test_the_farm_makes_the_film_of_a_one_job_export(tmp_path: Path, scheduler: str) -> None:
    local, farmed = tmp_path / "local.mp4", tmp_path / "farm.mp4"
    assert main(["export", str(local), *SPAN, "--jobs", "1"]) == 0
    trace = tmp_path / "t.jsonl"
    args = ["--scheduler", scheduler, "--jobs", "3", "--trace", str(trace)]
    assert main(["export", str(farmed), *SPAN, *args]) == 0
    assert framemd5(farmed) == framemd5(local)
    assert len(trace.read_text().splitlines()) == 60
    assert sorted(p.name for p in tmp_path.iterdir()) == ["farm.mp4", "local.mp4", "t.jsonl"]


def _other_build() -> tuple[tuple[str, str], ...]:
    from thereturn_viz.run.jobs import build

    return tuple((k, "0.0.1" if k == "thereturn-viz" else v) for k, v in build())


def test_a_worker_of_another_version_refuses_and_the_export_says_so(
    tmp_path: Path,
    scheduler: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import thereturn_viz.run.export as export

    monkeypatch.setattr(export, "build", _other_build)  # the export's side only
    out = tmp_path / "clip.mp4"
    assert main(["export", str(out), *SPAN, "--scheduler", scheduler, "--jobs", "2"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "error: export: the worker at tcp://127.0.0.1:" in err
    assert "refused job " in err
    assert "thereturn-viz 0.1.0 here, 0.0.1 for the export" in err
    assert list(tmp_path.iterdir()) == []


def test_a_worker_refuses_a_choreography_that_is_not_the_one_hashed(
    tmp_path: Path,
    scheduler: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import thereturn_viz.run.export as export
    from thereturn_viz.run.jobs import Snapshot

    of = Snapshot.of

    def tampered(folder: Path) -> Any:
        real = of(folder)
        files = tuple((n, d + b"\n# changed\n" if n == "duet.toml" else d) for n, d in real.files)
        return Snapshot(files, real.digest)

    monkeypatch.setattr(export.Snapshot, "of", staticmethod(tampered))
    out = tmp_path / "clip.mp4"
    assert main(["export", str(out), *SPAN, "--scheduler", scheduler, "--jobs", "2"]) == 1
    err = capsys.readouterr().err
    assert "refused job " in err and "its choreography (hash " in err
    assert list(tmp_path.iterdir()) == []


def test_no_scheduler_at_the_address_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import thereturn_viz.run.farm as farm

    monkeypatch.setattr(farm, "CONNECT_TIMEOUT", 1)
    out = tmp_path / "clip.mp4"
    assert main(["export", str(out), *SPAN, "--scheduler", "tcp://127.0.0.1:9"]) == 1
    err = capsys.readouterr().err
    assert "--scheduler tcp://127.0.0.1:9: no scheduler answered" in err
    assert err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []
