"""``duet.toml``: contacts with known kinds and hands, in the piece, never impossible at once."""

from __future__ import annotations

from thereturn_viz.show.choreography import DancerScript
from thereturn_viz.show.cues import Cue, CueSheet
from thereturn_viz.show.errors import Kind
from thereturn_viz.show.reading import Checker, Source
from thereturn_viz.show.tempo import TempoMap
from thereturn_viz.show.validate.duet import check_duet

from ..conftest import Files, problems, the

SHEET = CueSheet((Cue("open", 0.0, ""), Cue("end", 10.0, "")), TempoMap())
DANCERS = {"partner": DancerScript("partner", 1.65, 2.0, ())}


def _check(*contacts: dict[str, object]) -> tuple[tuple[object, ...], Checker]:
    chk = Checker(Source("duet.toml", "duet"))
    return check_duet({"contacts": list(contacts)}, SHEET, DANCERS, chk), chk


def test_same_hand_held_twice_at_once(files: Files) -> None:
    text = files.read("duet.toml")
    first = text.index("[[contacts]]")
    block = text[first : text.index("[[contacts]]", first + 1)]
    files.append("duet.toml", block)
    found = problems(files.folder)
    last = len([line for line in files.read("duet.toml").splitlines() if "[[contacts]]" in line])
    p = the(found, "duet.toml", f"duet.contacts[{last - 1}]")
    assert "overlaps contacts[0]" in p.message and "same hand" in p.message
    assert p.kind is Kind.CONFLICT


def test_waist_during_the_lift(files: Files) -> None:
    files.append(
        "duet.toml", '[[contacts]]\nkind = "waist"\nstart = "lift_apex"\nend = "lift_apex+1"'
    )
    found = problems(files.folder)
    (p,) = [p for p in found if "overlaps" in p.message]
    assert "waist" in p.message and "lift" in p.message and "cannot overlap" in p.message


def test_contact_before_the_partner_enters(files: Files) -> None:
    files.append("duet.toml", '[[contacts]]\nkind = "waist"\nstart = "open+1"\nend = "open+2"')
    found = problems(files.folder)
    assert any("before the partner enters" in p.message for p in found)


def test_holds_on_different_hands_may_overlap() -> None:
    a = {"kind": "hands", "start": 3, "end": 6, "lead": "l_hand", "partner": "r_hand"}
    b = {"kind": "hands", "start": 4, "end": 7, "lead": "r_hand", "partner": "l_hand"}
    contacts, chk = _check(a, b)
    assert chk.problems == [] and len(contacts) == 2
    lift = {"kind": "lift", "start": 5, "end": 8}
    contacts, chk = _check(a, lift)
    (p,) = chk.problems
    assert p.key == "duet.contacts[1]" and len(contacts) == 2  # both kept; the clash reported


def test_a_contact_names_hands_only_where_its_kind_has_them() -> None:
    _, chk = _check(
        {"kind": "waist", "start": 3, "end": 4, "lead": "l_hand"},
        {"kind": "hands", "start": 3, "end": 4, "lead": "l_hnd"},
        {"kind": "hnads", "start": 3, "end": 4},
        {"kind": "lift", "start": 5, "end": 4, "height": 9},
    )
    found = [(p.key, p.kind, p.suggestion) for p in chk.problems]
    assert found == [
        ("duet.contacts[0].lead", Kind.UNKNOWN_KEY, "remove this key"),
        ("duet.contacts[1].lead", Kind.UNKNOWN_NAME, 'did you mean "l_hand"?'),
        ("duet.contacts[1].partner", Kind.MISSING, ""),
        ("duet.contacts[2].kind", Kind.UNKNOWN_NAME, 'did you mean "hands"?'),
        ("duet.contacts[3].height", Kind.RANGE, ""),
        ("duet.contacts[3].end", Kind.ORDER, ""),
    ]


def test_a_lift_is_carried_to_its_height() -> None:
    (lift, low), chk = _check(
        {"kind": "lift", "start": 3, "end": 4}, {"kind": "lift", "start": 5, "end": 6, "height": 1}
    )
    assert chk.problems == [] and lift.height == 1.6 and low.height == 1.0  # type: ignore[attr-defined]


def test_a_hold_out_of_reach_at_its_start_is_reported_with_what_would_work(files: Files) -> None:
    """The waist hold moved early (from its count, 140.56 s): his hands are over a metre from her
    waist when it starts, which the physics would pull at for the whole hold while the trace said
    "waist"."""
    text = files.read("duet.toml")
    moved = text.replace(
        'kind = "waist"\nstart = "together+22c"', 'kind = "waist"\nstart = "together+18.8"'
    )
    assert moved != text, "the shipped waist hold's start is written differently: update the test"
    files.write("duet.toml", moved)
    found = problems(files.folder)
    (p,) = [p for p in found if "lead-in" in p.message]
    assert p.key.endswith(".start") and p.kind is Kind.CONFLICT and p.file.endswith("duet.toml")
    assert p.message.startswith("a waist hold at together+18.8 (138.80 s)")
    assert "within reach from together+" in p.suggestion


def test_the_shipped_holds_are_within_reach_at_their_starts() -> None:
    from thereturn_viz.paths import default_choreography
    from thereturn_viz.show.holds import reach, target_gap
    from thereturn_viz.show.loader import load_choreography

    chor = load_choreography(default_choreography())
    lead, partner = chor.dancers["lead"], chor.dancers["partner"]
    gaps = [target_gap(c, lead, partner, c.start) / reach(c.kind) for c in chor.contacts]
    assert len(gaps) == len(chor.contacts) > 10 and max(gaps) < 1.0
