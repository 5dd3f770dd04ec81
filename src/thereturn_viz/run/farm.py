"""A render farm on Dask (``pip install 'thereturn-viz[farm]'``): the export's frame ranges sent
to a cluster's workers, which return their encoded chunks; the export joins them.

A job is the one :mod:`.jobs` runs on this machine, carrying the choreography's files, their
hash, and what the export was built with (this package's version and source, the libraries that
shape the pixels). A worker built otherwise refuses it, and the export prints the worker's words:
a farm of mixed versions would give a film whose pieces do not match. docs/export.md says how to
start a scheduler and workers.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .args import ExportFailed, UsageError
from .encode import segment_name
from .jobs import RangeResult, RangeSpec, run_range
from .outputs import write_bytes

#: How long the export waits for the scheduler to answer (s).
CONNECT_TIMEOUT = 20


class FarmRefused(RuntimeError):
    """A worker would not draw a job (another version, other code or choreography)."""


@dataclass(frozen=True)
class FarmResult:
    """A job's result as it comes back over the network: the chunks' bytes, not paths."""

    index: int
    segments: tuple[tuple[int, bytes], ...]
    rows: tuple[dict[str, Any], ...]


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise UsageError(
            "--scheduler needs Dask's distributed: pip install 'thereturn-viz[farm]'"
        ) from None
    return distributed


def connect(address: str) -> Any:
    """A client of the scheduler at ``address`` (``tcp://HOST:PORT``)."""
    distributed = _distributed()
    try:
        return distributed.Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ExportFailed(f"--scheduler {address}: no scheduler answered: {exc}") from None


def capacity(client: Any) -> int:
    """How many jobs the cluster draws at once: its workers' threads (at least 1)."""
    return max(1, sum(client.nthreads().values()))


def render_remote(spec: RangeSpec) -> FarmResult:
    """On a worker: check the job is this installation's to draw, draw it in a folder of its
    own, and send the chunks back as bytes."""
    try:
        from distributed import get_worker

        where = f"the worker at {get_worker().address}"
    except (ImportError, ValueError):
        where = "a worker"
    why = spec.refusal(where)
    if why is not None:
        raise FarmRefused(why)
    from .headless import use_dummy_drivers

    use_dummy_drivers()
    with tempfile.TemporaryDirectory(prefix="thereturn-farm-") as tmp:
        home = Path(tmp)
        choreography = spec.choreography.load(home / "choreography")
        result = run_range(spec, choreography, home, lambda n: None)
        segments = tuple((number, path.read_bytes()) for number, path in result.segments)
    return FarmResult(spec.index, segments, result.rows)


def run_farm(
    client: Any, specs: list[RangeSpec], work: Path, report: Callable[[int], None]
) -> list[RangeResult]:
    """Every job on the cluster; the chunks that come back written into ``work``; the results
    in order. The first failure or refusal ends the export with its message, and the jobs
    still queued or running are cancelled."""
    distributed = _distributed()
    futures = [client.submit(render_remote, spec, pure=False) for spec in specs]
    index = {fut.key: spec for fut, spec in zip(futures, specs, strict=True)}
    results: dict[int, RangeResult] = {}
    try:
        for fut in distributed.as_completed(futures):
            spec = index[fut.key]
            try:
                got: FarmResult = fut.result()
            except FarmRefused as exc:
                raise ExportFailed(str(exc)) from None
            except ExportFailed as exc:
                raise ExportFailed(f"{spec.describe()} failed on the farm: {exc}") from None
            except Exception as exc:  # the worker's own error, as Dask sends it back
                raise ExportFailed(
                    f"{spec.describe()} failed on the farm: {type(exc).__name__}: {exc}"
                ) from None
            segments = []
            for number, data in got.segments:
                path = work / segment_name(number)
                write_bytes(path, data)
                segments.append((number, path))
            results[spec.index] = RangeResult(spec.index, tuple(segments), got.rows)
            report(len(spec.frames))
    finally:
        client.cancel([f for f in futures if not f.done()])
    return [results[i] for i in range(len(specs))]
