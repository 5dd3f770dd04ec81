"""Editing a choreography folder in place: shift, copy or mirror a span of keyframes.

The files are the choreographer's: their comments, blank lines, order and the way each time is
written stay as they are (tomlkit keeps them); only the values an edit changes are rewritten,
and times written as counts stay counts (:mod:`.counts`). Holds of ``duet.toml`` that lie wholly
inside the span go with it. Nothing is saved unless the edited folder passes the same check as
``check``; the files are then written under temporary names, read back, and renamed.
"""

from __future__ import annotations

import copy
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import AoT, Float, Integer, Item, String, StringType, Table, Whitespace
from tomlkit.toml_document import TOMLDocument

from .anatomy import JOINTS
from .choreography import DANCERS, Choreography
from .counts import Amount, _number, shift_value
from .cues import CueSheet
from .errors import ChoreographyError, FaultError, Problem
from .loader import FILES, load_choreography
from .timing import parse_time

MIRRORED = "_mirrored"


class EditError(ValueError):
    """An edit that cannot be made as asked (one line: what, and what to do)."""


@dataclass(frozen=True)
class Edit:
    """The new text of each file an edit changes, and what it did, for the summary line."""

    texts: dict[str, str]
    keyframes: int
    holds: int
    notes: tuple[str, ...] = field(default=())

    def summary(self) -> str:
        files = ", ".join(sorted(self.texts)) or "no file"
        return f"{self.keyframes} keyframes, {self.holds} holds; {files}"


@dataclass
class _Folder:
    """The folder's checked model and its files as editable documents."""

    path: Path
    chor: Choreography
    texts: dict[str, str]
    docs: dict[str, TOMLDocument]

    @property
    def sheet(self) -> CueSheet:
        return self.chor.sheet

    def edited(
        self, names: Iterable[str], keyframes: int, holds: int, notes: Sequence[str]
    ) -> Edit:
        texts = {n: as_text(self.docs[n], self.texts[n]) for n in names}
        return Edit(
            {n: t for n, t in texts.items() if t != self.texts[n]}, keyframes, holds, tuple(notes)
        )


#: A byte-order mark: check reads a file that starts with one; tomlkit refuses it as an empty key.
BOM = "\ufeff"


def parse_document(text: str) -> TOMLDocument:
    """A file's text as an editable document, a byte-order mark set aside (see :func:`as_text`).

    >>> parse_document(BOM + "x = 1 # one\\n")["x"]
    1
    """
    return tomlkit.parse(text.removeprefix(BOM))


def as_text(doc: TOMLDocument, like: str) -> str:
    """``doc`` as text, with the byte-order mark the file ``like`` began with, if any: an edit
    leaves everything else of the file as it was, that included.

    >>> as_text(parse_document(BOM + "x = 1\\n"), BOM + "x = 1\\n") == BOM + "x = 1\\n"
    True
    """
    return (BOM if like.startswith(BOM) else "") + doc.as_string()


def _open(folder: Path) -> _Folder:
    chor = load_choreography(folder)  # an edit starts from a sound folder
    texts = {n: (folder / n).read_text(encoding="utf-8") for n in FILES}
    return _Folder(folder, chor, texts, {n: parse_document(t) for n, t in texts.items()})


def _who(who: str) -> tuple[str, ...]:
    if who == "both":
        return DANCERS
    if who not in DANCERS:
        raise EditError(f'unknown dancer "{who}": use lead, partner or both')
    return (who,)


def _span(f: _Folder, start: str, end: str) -> tuple[float, float]:
    try:
        t0, t1 = parse_time(start, f.sheet), parse_time(end, f.sheet)
    except FaultError as exc:
        raise EditError(str(exc)) from None
    if t1 < t0:
        raise EditError(f"the span ends ({end}) before it starts ({start})")
    return t0, t1


def _keyframes(f: _Folder, who: str) -> AoT:
    aot = f.docs[f"{who}.toml"]["keyframes"]
    assert isinstance(aot, AoT)
    return aot


def _contacts(f: _Folder) -> AoT | None:
    aot = f.docs["duet.toml"].get("contacts")
    return aot if isinstance(aot, AoT) else None


def _time(item: Any, sheet: CueSheet) -> float:
    return parse_time(item.unwrap() if isinstance(item, Item) else item, sheet)


def _inside(t: float, t0: float, t1: float) -> bool:
    return t0 - 1e-6 <= t <= t1 + 1e-6


def set_keeping_trivia(table: Table, key: str, value: Any, raw: str | None = None) -> None:
    """``table[key] = value`` keeping the old item's comment, spacing and string quotes."""
    old = table.get(key)
    trivia = old.trivia if isinstance(old, Item) else None
    if isinstance(value, str):
        literal = isinstance(old, String) and old.type is StringType.SLL
        new: Item = tomlkit.string(value, literal=literal)
    elif isinstance(value, float):
        new = Float(
            value, copy.copy(trivia) if trivia else tomlkit.item(value).trivia, raw or repr(value)
        )
    else:
        new = tomlkit.item(value)
    if trivia is not None and not isinstance(new, Float):
        new.trivia.comment_ws, new.trivia.comment = trivia.comment_ws, trivia.comment
        new.trivia.trail = trivia.trail
    if old is None:  # a new key goes before the comments that end the table
        tail = _tail(table)
        table[key] = new
        table.value.body.extend(tail)
    else:
        table[key] = new


def _moved_times(
    f: _Folder, who: Sequence[str], t0: float, t1: float
) -> tuple[list[tuple[Table, str]], list[str]]:
    """Every time value inside the span: keyframes' ``at`` and the holds wholly inside it;
    a hold across an edge of the span is left and named in the notes."""
    found: list[tuple[Table, str]] = []
    notes: list[str] = []
    for name in who:
        for kf in _keyframes(f, name):
            if _inside(_time(kf["at"], f.sheet), t0, t1):
                found.append((kf, "at"))
    for i, c in enumerate(_contacts(f) or ()):
        s, e = _time(c["start"], f.sheet), _time(c["end"], f.sheet)
        if _inside(s, t0, t1) and _inside(e, t0, t1):
            found += [(c, "start"), (c, "end")]
        elif _inside(s, t0, t1) or _inside(e, t0, t1):
            notes.append(
                f"duet.toml contacts[{i}] ({c['kind']}) crosses an edge of the span: not moved"
            )
    return found, notes


def shift(folder: Path, who: str, start: str, end: str, by: Amount) -> Edit:
    """The dancers' keyframes from ``start`` to ``end`` (inclusive), and the holds inside, moved
    by ``by``; each time keeps its form (``together+8b`` moved by ``+2b`` is ``together+10b``)."""
    f = _open(folder)
    dancers = _who(who)
    t0, t1 = _span(f, start, end)
    found, notes = _moved_times(f, dancers, t0, t1)
    if not any(key == "at" for _, key in found):
        raise EditError(f"no keyframe of {who} between {start} and {end}")
    for table, key in found:
        set_keeping_trivia(table, key, shift_value(table[key].unwrap(), by, f.sheet))
    holds = sum(1 for _, key in found if key == "start")
    return f.edited(
        [*(f"{d}.toml" for d in dancers), "duet.toml"], len(found) - 2 * holds, holds, notes
    )


def _rebased(value: Any, start: str, at: str, t: float, t0: float) -> str:
    """A time of the span written from ``at`` as it was written from ``start``: counts stay
    counts when the span's start is the same cue and terms as the keyframe's beginning."""
    text = value.strip() if isinstance(value, str) else ""
    head = start.strip()
    if text.startswith(head) and (len(text) == len(head) or text[len(head)] in "+-"):
        return at.strip() + text[len(head) :]
    rest = t - t0
    return at.strip() + (f"+{_number(rest)}" if rest > 1e-9 else "")


def _tail(table: Table) -> list[tuple[Any, Any]]:
    """The comments and blank lines that end a table (the next section's heading lives there)."""
    body = table.value.body
    n = len(body)
    while n and body[n - 1][0] is None:
        n -= 1
    tail = body[n:]
    del body[n:]
    return tail


def _insert(aot: AoT, tables: list[Table], sheet: CueSheet, key: str) -> None:
    """Put ``tables`` (in time order) into ``aot`` where their times fall; the comments that
    followed the table before them now follow the last of them."""
    if not tables:
        return
    t = _time(tables[0][key], sheet)
    i = 0
    while i < len(aot) and _time(aot[i][key], sheet) <= t + 1e-9:
        i += 1
    tail = _tail(aot[i - 1]) if i else [(None, Whitespace("\n"))]
    for table in tables:
        _tail(table)
    if i:
        aot[i - 1].value.body.append((None, Whitespace("\n")))
    for table in tables[:-1]:
        table.value.body.append((None, Whitespace("\n")))
    tables[-1].value.body.extend(tail)
    for j, table in enumerate(tables):
        aot.insert(i + j, table)


def copy_phrase(folder: Path, who: str, start: str, end: str, at: str) -> Edit:
    """The keyframes from ``start`` to ``end`` (and the holds inside) copied so that ``start``
    falls on ``at``; the originals stay."""
    f = _open(folder)
    dancers = _who(who)
    t0, t1 = _span(f, start, end)
    try:
        parse_time(at, f.sheet)
    except FaultError as exc:
        raise EditError(str(exc)) from None
    found, notes = _moved_times(f, dancers, t0, t1)
    count = holds = 0
    for name in dancers:
        made: list[Table] = []
        for table, key in found:
            if key == "at" and any(table is kf for kf in _keyframes(f, name)):
                t = _time(table["at"], f.sheet)
                new = copy.deepcopy(table)
                _write_out(f, name, new, t)
                set_keeping_trivia(new, "at", _rebased(table["at"].unwrap(), start, at, t, t0))
                made.append(new)
        aot = _keyframes(f, name)
        _insert(aot, made, f.sheet, "at")
        after = next((i + 1 for i, kf in enumerate(aot) if made and kf is made[-1]), len(aot))
        # the keyframe after the copies keeps its own place and facing (a gesture has none:
        # the one that inherits is the first keyframe with a pose after it)
        while after < len(aot) and _is_gesture(aot[after]):
            after += 1
        if after < len(aot):
            _write_out(f, name, aot[after], _time(aot[after]["at"], f.sheet))
        count += len(made)
    made = []
    for table, key in found:
        if key == "start":
            new = copy.deepcopy(table)
            for k in ("start", "end"):
                set_keeping_trivia(
                    new, k, _rebased(table[k].unwrap(), start, at, _time(table[k], f.sheet), t0)
                )
            made.append(new)
    contacts = _contacts(f)
    if made and contacts is not None:
        _insert(contacts, made, f.sheet, "start")
        holds = len(made)
    if not count:
        raise EditError(f"no keyframe of {who} between {start} and {end}")
    return f.edited([*(f"{d}.toml" for d in dancers), "duet.toml"], count, holds, notes)


def _is_gesture(table: Table) -> bool:
    """A keyframe of a few joints laid over the phrase (it has no place or facing of its own)."""
    return "joints" in table and "pose" not in table


def _write_out(f: _Folder, who: str, table: Table, t: float) -> None:
    """The place and facing the keyframe at ``t`` inherits, written on ``table``, so that it
    no longer depends on the keyframe before it."""
    if _is_gesture(table):
        return
    kf = next((k for k in f.chor.dancers[who].keyframes if abs(k.t - t) < 1e-9), None)
    if kf is None:
        return
    if "x" not in table:
        set_keeping_trivia(table, "x", float(kf.x), _number(kf.x, 2))
    if "facing" not in table:
        set_keeping_trivia(table, "facing", "right" if kf.facing > 0 else "left")


def _swap_side(name: str) -> str:
    """``l_hand`` for ``r_hand`` and back; other names as they are.

    >>> _swap_side("l_hand"), _swap_side("r_knee"), _swap_side("waist")
    ('r_hand', 'l_knee', 'waist')
    """
    if name.startswith("l_"):
        return "r_" + name[2:]
    if name.startswith("r_"):
        return "l_" + name[2:]
    return name


def _mirror_pose(f: _Folder, pose: str, added: dict[str, str]) -> str:
    """The name of ``pose`` with left and right swapped, adding it to poses.toml if it is new."""
    if pose.endswith(MIRRORED) and pose[: -len(MIRRORED)] in f.chor.poses:
        return pose[: -len(MIRRORED)]
    name = pose + MIRRORED
    if name in f.chor.poses or name in added:
        return name
    angles = dict(zip(JOINTS, f.chor.poses[pose], strict=True))
    lines = [
        "",
        f'# "{pose}" with left and right swapped (made by the mirror command)',
        f"[{name}]",
        f'from = "{pose}"',
    ]
    for joint in JOINTS:
        other = angles[_swap_side(joint)]
        if other != angles[joint]:
            lines.append(f"{joint} = {_number(other)}")
    added[name] = "\n".join(lines) + "\n"
    return name


def mirror(folder: Path, who: str, start: str, end: str, about: float = 0.0) -> Edit:
    """The keyframes from ``start`` to ``end`` as their mirror image: left and right limbs
    swapped (a ``POSE_mirrored`` pose is added to poses.toml where needed), ``x`` mirrored about
    ``about``, facing turned; the hands of the holds inside swapped. Values a keyframe inherited
    are written where the mirror would otherwise change what follows the span."""
    f = _open(folder)
    dancers = _who(who)
    t0, t1 = _span(f, start, end)
    found, notes = _moved_times(f, dancers, t0, t1)
    added: dict[str, str] = {}
    count = 0
    for name in dancers:
        # by time: a held keyframe's end is in the model only, a gesture in the file only
        resolved = {round(k.t, 9): k for k in f.chor.dancers[name].keyframes}
        inside = False
        for kf in _keyframes(f, name):
            t = _time(kf["at"], f.sheet)
            if _is_gesture(kf):
                if _inside(t, t0, t1):
                    joints = tomlkit.inline_table()
                    for joint, angle in kf["joints"].items():
                        joints[_swap_side(joint)] = angle
                    set_keeping_trivia(kf, "joints", joints)
                    count += 1
                continue
            model = resolved[round(t, 9)]
            if _inside(model.t, t0, t1):
                set_keeping_trivia(kf, "pose", _mirror_pose(f, model.pose, added))
                _mirror_x(kf, model.x, about, force=not inside)
                if "facing" in kf or not inside:
                    set_keeping_trivia(kf, "facing", "left" if model.facing > 0 else "right")
                inside, count = True, count + 1
            elif inside:  # the first keyframe after the span keeps its own place and facing
                if "x" not in kf:
                    set_keeping_trivia(kf, "x", float(model.x), _number(model.x, 2))
                if "facing" not in kf:
                    set_keeping_trivia(kf, "facing", "right" if model.facing > 0 else "left")
                inside = False
    holds = 0
    for table, key in found:
        if key == "start" and table.get("kind") == "hands":
            for who_ in dancers:
                set_keeping_trivia(table, who_, _swap_side(str(table[who_])))
            holds += 1
    if not count:
        raise EditError(f"no keyframe of {who} between {start} and {end}")
    edit = f.edited([*(f"{d}.toml" for d in dancers), "duet.toml"], count, holds, notes)
    if added:
        edit.texts["poses.toml"] = (
            f.texts["poses.toml"].rstrip("\n") + "\n" + "".join(added.values())
        )
    return edit


def _mirror_x(kf: Table, x: float, about: float, force: bool) -> None:
    if "x" not in kf and not force:
        return
    old = kf.get("x")
    raw = old.as_string().strip() if isinstance(old, Item) else f"{x:.2f}"
    decimals = len(raw.split(".")[1]) if "." in raw else 0
    new = 2 * about - x
    if abs(new) < 1e-9:
        new = 0.0
    if isinstance(old, Integer) and new == int(new):
        set_keeping_trivia(kf, "x", int(new))
        return
    set_keeping_trivia(kf, "x", float(new), _number(new, max(decimals, 1)))


def verify(folder: Path, edit: Edit) -> list[Problem]:
    """What ``check`` would say of the folder with the edit made, the problems placed in the
    folder's own files (the edit is checked in a scratch copy; the folder is not touched)."""
    with tempfile.TemporaryDirectory(prefix="thereturn-edit-") as scratch:
        tmp = Path(scratch)
        for name in FILES:
            text = edit.texts.get(name)
            if text is None:
                text = (folder / name).read_text(encoding="utf-8")
            (tmp / name).write_text(text, encoding="utf-8")
        try:
            load_choreography(tmp)
        except ChoreographyError as exc:
            return [replace(p, file=str(folder / Path(p.file).name)) for p in exc.problems]
    return []


def save(folder: Path, edit: Edit) -> None:
    """Every changed file written under a temporary name, read back, then renamed into place."""
    staged: list[tuple[Path, Path]] = []
    try:
        for name, text in edit.texts.items():
            final = folder / name
            fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".edit", dir=folder)
            tmp = Path(tmp_name)
            staged.append((tmp, final))
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
                out.write(text)
            if tmp.read_text(encoding="utf-8") != text:
                raise OSError(f"{tmp}: the file read back differs from what was written")
            if final.exists():
                os.chmod(tmp, final.stat().st_mode & 0o777)
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, final in staged:
        os.replace(tmp, final)
