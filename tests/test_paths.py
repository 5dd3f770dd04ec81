"""The shipped choreography is found in a checkout and in an installed package alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from thereturn_viz import paths
from thereturn_viz.show.loader import FILES, load_choreography


def test_a_checkout_uses_its_own_choreography_folder() -> None:
    assert paths.default_choreography() == paths.SOURCE_ROOT / "choreography"


def test_the_package_carries_the_same_choreography() -> None:
    # what a wheel installs: the five files, the very bytes a choreographer edits
    for name in FILES:
        shipped = (paths.SOURCE_ROOT / "choreography" / name).read_bytes()
        assert (paths.PACKAGED / name).read_bytes() == shipped


def test_an_installed_package_finds_its_choreography_anywhere(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # installed (not editable): no checkout above the package, run from some other folder
    monkeypatch.setattr(paths, "SOURCE_ROOT", tmp_path / "site-packages")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("THERETURN_CHOREOGRAPHY", raising=False)
    found = paths.default_choreography()
    assert found == paths.PACKAGED
    assert len(load_choreography(found).sheet.cues) == 19


def test_the_environment_names_another_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("THERETURN_CHOREOGRAPHY", str(tmp_path))
    assert paths.default_choreography() == tmp_path
