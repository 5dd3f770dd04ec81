"""``duet.toml``: the contacts between the dancers (hand holds, the waist, the lift)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..anatomy import JOINTS
from ..choreography import CONTACT_KINDS, HANDS, Contact, DancerScript
from ..cues import CueSheet
from ..errors import KeyPath, Kind, describe, did_you_mean
from ..holds import LEAD_IN, reach, target_gap
from ..kinematics import forward, grounded_height
from ..reading import Checker
from .dancer import as_written
from .fields import check_number, check_time, unknown_keys

CONTACT_KEYS = ("kind", "start", "end", "lead", "partner", "height")
#: Two dancers this far apart in depth (m) or more cannot hold each other: the physics joins
#: them in one plane, so the choreography keeps them at one depth for as long as they hold.
DEPTH_TOLERANCE = 0.05
#: The hold's span is checked this often (seconds), its end included.
DEPTH_STEP = 0.05
LIFT_HEIGHT = (0.0, 2.5)


def check_duet(
    data: dict[str, Any], sheet: CueSheet, dancers: Mapping[str, DancerScript], chk: Checker
) -> tuple[Contact, ...]:
    """The contacts that are sound, every problem reported; two that cannot happen at once are
    reported at the later one in the file."""
    unknown_keys(chk, data, (), ("contacts",))
    raw = data.get("contacts", [])
    if not isinstance(raw, list):
        chk.add(
            ("contacts",), Kind.TYPE, f"expected a list of [[contacts]] tables, got {describe(raw)}"
        )
        return ()
    contacts: list[Contact] = []
    rows: list[int] = []
    for i, c in enumerate(raw):
        path: KeyPath = ("contacts", i)
        if not isinstance(c, dict):
            chk.add(path, Kind.TYPE, f"expected a [[contacts]] table, got {describe(c)}")
            continue
        contact = _contact(c, path, sheet, dancers, chk)
        if contact is not None:
            contacts.append(contact)
            rows.append(i)
    _check_overlaps(contacts, rows, chk)
    return tuple(contacts)


def _check_overlaps(contacts: list[Contact], rows: list[int], chk: Checker) -> None:
    for i, a in enumerate(contacts):
        for j in range(i + 1, len(contacts)):
            b = contacts[j]
            if a.start < b.end and b.start < a.end and _clash(a, b):
                what = "use the same hand" if a.kind == b.kind == "hands" else "cannot overlap"
                chk.add(
                    ("contacts", rows[j]),
                    Kind.CONFLICT,
                    f"{b.kind} ({b.start:.1f}-{b.end:.1f} s) overlaps contacts[{rows[i]}], "
                    f"{a.kind} ({a.start:.1f}-{a.end:.1f} s): they {what}",
                    "only hand holds on different hands may overlap",
                )


def _contact(
    c: dict[str, Any],
    path: KeyPath,
    sheet: CueSheet,
    dancers: Mapping[str, DancerScript],
    chk: Checker,
) -> Contact | None:
    before = chk.count
    unknown_keys(chk, c, path, CONTACT_KEYS)
    kind = c.get("kind")
    if not isinstance(kind, str) or kind not in CONTACT_KINDS:
        what = "missing" if kind is None else f"got {describe(kind)}"
        hint = did_you_mean(kind, CONTACT_KINDS) if isinstance(kind, str) else ""
        chk.add(
            (*path, "kind"),
            Kind.MISSING if kind is None else Kind.UNKNOWN_NAME,
            f"expected one of {', '.join(CONTACT_KINDS)}, {what}",
            hint,
            expected="one of " + ", ".join(CONTACT_KINDS),
            subject=kind if isinstance(kind, str) else "",
        )
        return None
    start = check_time(chk, (*path, "start"), c.get("start"), sheet, "when the contact starts")
    end = check_time(chk, (*path, "end"), c.get("end"), sheet, "when the contact ends")
    parts = _hands(c, kind, path, chk)
    height = c.get("height", 1.6 if kind == "lift" else 0.0)
    check_number(chk, (*path, "height"), height, *LIFT_HEIGHT, "meters")
    if kind == "lift" and chk.count == before:
        _check_lift_reach(float(height), path, dancers, chk)
    if start is not None and end is not None:
        _check_times(start, end, path, dancers, chk, (c.get("start"), c.get("end")))
        if end > start:
            _check_depths(kind, start, end, path, dancers, chk)
    if chk.count > before or start is None or end is None:
        return None
    contact = Contact(kind, start, end, parts["lead"], parts["partner"], float(height))
    _check_reach(contact, path, dancers, chk, (sheet, as_written(c.get("start"), start)))
    return contact


def _hands(c: dict[str, Any], kind: str, path: KeyPath, chk: Checker) -> dict[str, str]:
    """Which hand of each dancer a hand hold joins ("" where the kind names none)."""
    parts = {"lead": "", "partner": ""}
    for who in ("lead", "partner"):
        part = c.get(who)
        if who not in CONTACT_KINDS[kind]:
            if part is not None:
                chk.add(
                    (*path, who),
                    Kind.UNKNOWN_KEY,
                    f"a {kind} contact names no hands",
                    "remove this key",
                )
            continue
        if not isinstance(part, str) or part not in HANDS:
            what = "missing" if part is None else f"got {describe(part)}"
            hint = did_you_mean(part, HANDS) if isinstance(part, str) else ""
            chk.add(
                (*path, who),
                Kind.MISSING if part is None else Kind.UNKNOWN_NAME,
                f"expected which hand of the {who}: l_hand or r_hand, {what}",
                hint,
                expected="l_hand or r_hand",
            )
            continue
        parts[who] = part
    return parts


def _check_times(
    start: float,
    end: float,
    path: KeyPath,
    dancers: Mapping[str, DancerScript],
    chk: Checker,
    written: tuple[Any, Any] = (None, None),
) -> None:
    begins, ends = as_written(written[0], start), as_written(written[1], end)
    if end <= start:
        message = f"ends at {ends}, not after its start at {begins}"
        chk.add((*path, "end"), Kind.ORDER, message)
    for who, script in dancers.items():
        if start < script.enters:
            chk.add(
                (*path, "start"),
                Kind.ORDER,
                f"starts at {begins}, before the {who} enters ({script.enters:.2f} s)",
            )


def _clash(a: Contact, b: Contact) -> bool:
    """Two overlapping contacts are impossible unless they are hand holds on different hands."""
    if a.kind == b.kind == "hands":
        return a.lead_part == b.lead_part or a.partner_part == b.partner_part
    return True


def _check_depths(
    kind: str,
    start: float,
    end: float,
    path: KeyPath,
    dancers: Mapping[str, DancerScript],
    chk: Checker,
) -> None:
    """A hold joins the two only at one depth: report the first moment they stand apart."""
    if len(dancers) < 2:
        return
    times = np.append(np.arange(start, end, DEPTH_STEP), end)
    (a, sa), (b, sb) = list(dancers.items())[:2]
    da, db = sa.sample(times).depth, sb.sample(times).depth
    apart = np.flatnonzero(np.abs(da - db) > DEPTH_TOLERANCE)
    if not len(apart):
        return
    i = int(apart[0])
    chk.add(
        path,
        Kind.CONFLICT,
        f"a {kind} hold ({start:.1f}-{end:.1f} s) between dancers at different depths: at "
        f"{times[i]:.2f} s the {a} is {da[i]:.2f} m from the mirror, the {b} {db[i]:.2f} m",
        f"give both the same depth in their keyframes from {start:.1f} to {end:.1f} s",
        expected="both dancers at one depth while they hold",
    )


def _check_reach(
    contact: Contact,
    path: KeyPath,
    dancers: Mapping[str, DancerScript],
    chk: Checker,
    where: tuple[CueSheet, str],
) -> None:
    """A hold whose ends are farther apart at its start than an arm closes in its lead-in would
    pull for its whole span and never close: say so, and when they would be within reach."""
    if "lead" not in dancers or "partner" not in dancers:
        return
    sheet, written = where
    lead, partner = dancers["lead"], dancers["partner"]
    apart = target_gap(contact, lead, partner, contact.start)
    most = reach(contact.kind)
    if apart <= most:
        return
    ends = (
        f"the lead's {contact.lead_part} and the partner's {contact.partner_part} are"
        if contact.kind == "hands"
        else "the lead's hands are"
    )
    whose = "" if contact.kind == "hands" else " from the partner's waist"
    times = np.arange(contact.start, contact.end, DEPTH_STEP)
    near = [t for t in times if target_gap(contact, lead, partner, float(t)) <= most]
    hint = (
        f"they are within reach from {_as_cue(sheet, near[0])}: start the hold there, or bring "
        "the two "
        f"{apart - most:.2f} m nearer at its start"
        if near
        else f"bring the two {apart - most:.2f} m nearer (x of their keyframes at {written})"
    )
    chk.add(
        (*path, "start"),
        Kind.CONFLICT,
        f"a {contact.kind} hold at {written}: {ends} {apart:.2f} m apart{whose}; an arm closes "
        f"at most {most:.2f} m in the hold's {LEAD_IN:g} s lead-in",
        hint,
        expected=f"at most {most:.2f} m apart at the hold's start",
    )


def _as_cue(sheet: CueSheet, t: float) -> str:
    """``t`` as its cue and offset, the way the files write times."""
    cue = sheet.cue_at(t)
    return f"{cue}+{t - sheet.time_of(cue):.2f} ({t:.2f} s)"


def overhead_reach(height: float) -> float:
    """How high (m) the wrists of a figure ``height`` tall reach, standing, arms straight up:
    the highest a carried pelvis can be held in his hands.

    >>> round(overhead_reach(1.8), 2)
    2.03
    """
    angles = np.zeros(16)
    angles[[JOINTS.index("l_shoulder"), JOINTS.index("r_shoulder")]] = 180.0
    hip = float(grounded_height(angles[None, :], height, np.ones(1))[0])
    return forward(angles, height, (0.0, hip))["l_hand"][0][1]


def _check_lift_reach(
    height: float, path: KeyPath, dancers: Mapping[str, DancerScript], chk: Checker
) -> None:
    """A lift higher than the carrier's hands can hold her, arms straight up, is reported."""
    carrier = next((n for n, d in dancers.items() if d.traits.carries), None)
    if carrier is None:
        return
    top = overhead_reach(dancers[carrier].height)
    if height <= top:
        return
    best = math.floor(top * 20.0) / 20.0
    chk.add(
        (*path, "height"),
        Kind.RANGE,
        f"a lift at {height:.2f} m is out of the {carrier}'s reach: his arms straight up hold "
        f"her pelvis at most {top:.2f} m high",
        f"height = {best:.2f} or lower (1.9 holds her over his head, 1.6 on his shoulder)",
        expected=f"at most {top:.2f} m",
    )
