"""What is played when: the composition, derived from the cue sheet and its tempo map.

Every event is placed relative to a named cue or on the bar grid of ``sheet.tempo``, so moving a
cue in ``cues.toml`` moves the music with it. :func:`compose` returns plain data
(:class:`.composition.Composition`); it makes no sound and knows nothing of the synthesizer but
what a velocity means (:func:`.composition.piano_loudness`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..show.cues import CueSheet
from .composition import (
    BOW_RELEASE_MAX,
    SEEDS,
    Composition,
    Note,
    Seeds,
    db_gain,
    softer,
)
from .harmony import (
    A_MINOR_SCALE,
    AFTER,
    C_MAJOR_SCALE,
    CONVERSATION,
    DOMINANTS,
    MAJOR,
    MINOR,
    RHYTHMS,
    SHAPES,
    THEME,
    TOGETHER_TAIL,
    TOGETHER_VOICING,
    arc,
    near,
    pitch_classes,
    scale_under,
    together_plan,
    toward,
    walk,
)

HEARTBEAT_PER_MINUTE = 56.0
#: How much softer the music is after the lift than the same notes would sound before it (dB).
AFTER_SOFTER_DB = 5.0
#: The strings that creep in with the partner: a bow's level, far under the piano's sparse notes.
ENTERING_STRINGS = 0.05
#: The chord held at eyes_meet: soft, rolled slowly from the bass up (seconds between notes),
#: and its strings' level. A minor with its ninth sounds fuller than F major 9 did at 0.2, 0.3.
MEET_VELOCITY, MEET_ROLL, MEET_STRINGS = 0.12, 0.12, 0.25
#: Before the silence at the apex: the last chord wants this long to ring (seconds), and the
#: pedal and the hands come up this long before the silence, so the chord breathes out into it.
LAST_CHORD_RING, LET_GO = 1.5, 0.3
#: A player's touch: onsets a few milliseconds either side of the grid, velocities that breathe.
LATE_MAX, EARLY_MAX, VEL_SPREAD = 0.016, 0.006, 0.06


class _Writer:
    """Collects events; every time goes through the sheet's cues or its bar grid."""

    def __init__(self, sheet: CueSheet, seeds: Seeds) -> None:
        self.sheet = sheet
        self.seeds = seeds
        self.notes: list[Note] = []
        self.pedal: list[tuple[float, float]] = []
        self.rng = np.random.default_rng(seeds.phrases)
        self.touch = np.random.default_rng(seeds.touch)  # separate: the notes do not move with it
        self.here = sheet.tempo.origin

    def cue(self, name: str) -> float:
        return self.sheet.time_of(name)

    def at(self, t: float) -> None:
        """Where the next events go: beats and bars follow the tempo span in force there."""
        self.here = t

    @property
    def beat(self) -> float:
        return self.sheet.tempo.span_at(self.here).beat_seconds

    @property
    def per_bar(self) -> int:
        return self.sheet.tempo.span_at(self.here).beats_per_bar

    @property
    def bar(self) -> float:
        return self.beat * self.per_bar

    def bars(self, start: str, end: str) -> list[float]:
        """Downbeats of the tempo map from cue ``start`` (inclusive) to cue ``end`` (exclusive)."""
        return self.sheet.tempo.downbeats(self.cue(start), self.cue(end))

    def piano(self, t: float, pitch: int, vel: float, dur: float, exact: bool = False) -> None:
        """A piano note; unless ``exact`` (a note that marks a cue) it gets a player's touch."""
        if not exact:
            t += float(self.touch.uniform(-EARLY_MAX, LATE_MAX))
            vel *= float(np.exp(self.touch.normal(0.0, VEL_SPREAD)))
        vel = min(max(vel, 0.05), 1.0)
        if dur <= 0.0:
            return  # a section with no room for the note: silence, not a note of no length
        self.notes.append(Note(round(t, 6), round(dur, 6), int(pitch), round(vel, 4), "piano"))

    def strings(self, t: float, pitch: int, vel: float, dur: float) -> None:
        if dur <= 0.0:
            return
        self.notes.append(Note(round(t, 6), round(dur, 6), int(pitch), round(vel, 4), "strings"))

    def pedal_span(self, down: float, up: float) -> None:
        if up <= down:
            return
        self.pedal.append((round(down, 6), round(up, 6)))


def compose(sheet: CueSheet, seeds: Seeds = SEEDS) -> Composition:
    """The whole score as events, from the cue sheet alone (and the seeds of its draws)."""
    w = _Writer(sheet, seeds)
    _opening(w)
    _eyes_meet(w)
    _conversation(w)
    _together(w)
    _after(w)
    apex, resumes, music_end = w.cue("lift_apex"), w.cue("music_resumes"), w.cue("music_end")
    # nothing may start in the silence; the gate in the synth silences what still rings
    notes = tuple(
        sorted(
            (n for n in w.notes if not apex <= n.t < resumes and n.t < music_end),
            key=lambda n: (n.t, n.voice, n.pitch),
        )
    )
    period = 60.0 / HEARTBEAT_PER_MINUTE
    beats: list[float] = []
    k = 0
    while (t := w.cue("heartbeat") + k * period) < music_end - 0.5:
        if not apex - 0.6 <= t < resumes:
            beats.append(round(t, 6))
        k += 1
    return Composition(
        duration=sheet.duration,
        notes=notes,
        pedal=tuple(sorted(w.pedal)),
        heartbeats=tuple(beats),
        breaths=(w.cue("last_breath"),),
        silences=((apex, resumes),),
        music_end=music_end,
        seeds=seeds,
    )


def _opening(w: _Writer) -> None:
    """One note, let ring; another; then sparse notes; strings creep in with the partner."""
    first, second, enters, meet = (
        w.cue("first_note"),
        w.cue("second_note"),
        w.cue("partner_enters"),
        w.cue("eyes_meet"),
    )
    w.at(first)
    w.piano(first, 76, 0.55, second - first, exact=True)  # E5, falling into the empty room
    w.pedal_span(first, second - 0.05)
    w.piano(second, 72, 0.5, 2 * w.bar, exact=True)  # C5
    w.pedal_span(second, second + 2 * w.bar)
    sparse = (69, 71, 72, 64, 67, 69, 76, 74, 72, 71, 69, 64)
    i = 0
    for bar_t in w.bars("second_note", "eyes_meet"):
        w.at(bar_t)
        if bar_t < second + w.bar:
            continue
        beat = 1 if i % 2 else 0
        t = bar_t + beat * w.beat
        if t >= meet - w.beat:
            break
        w.piano(t, sparse[i % len(sparse)], 0.36 + 0.1 * (i % 3 == 1), 2 * w.beat)
        if i % 3 == 0:
            w.piano(bar_t, 45 if i % 2 == 0 else 41, 0.3, 2 * w.bar)
        w.pedal_span(bar_t, bar_t + w.bar - 0.05)
        i += 1
    # strings, barely audible: a low A-minor pad that swells slowly until the held chord
    for pitch in (45, 52, 57):
        w.strings(enters, pitch, ENTERING_STRINGS, meet - enters + 0.5)


def _eyes_meet(w: _Writer) -> None:
    """A held moment: one chord, rolled once and sustained until the conversation.

    The tonic, A minor with a ninth above it: stillness, the key itself, with B over the top
    (its root doubled and no G, so that it cannot be heard as C major with a sixth).
    """
    meet, conv = w.cue("eyes_meet"), w.cue("conversation")
    w.at(meet)
    chord = MINOR["Am(add9)"]
    for j, pitch in enumerate(chord):
        w.piano(meet + MEET_ROLL * j, pitch, MEET_VELOCITY, conv - meet, exact=True)
        w.strings(meet, pitch, MEET_STRINGS, conv - meet + 0.8)
    w.pedal_span(meet, conv - 0.05)


def _say(
    w: _Writer,
    t0: float,
    rhythm: tuple[tuple[float, float], ...],
    pitches: list[int],
    vel: float,
) -> None:
    for k, ((beat, length), pitch) in enumerate(zip(rhythm, pitches, strict=True)):
        w.piano(t0 + beat * w.beat, pitch, vel * arc(k, len(rhythm)), length * w.beat)


def _conversation(w: _Writer) -> None:
    """Call and response, two bars each: her phrase reaches up high, his answers it from below.

    The answer takes the call's rhythm and turns its contour over (she rises, he bends), and
    lands on a tone of its own chord; each call is new, and the two registers draw closer as the
    section goes on, ready for ``together``.
    """
    bars = w.bars("conversation", "together")
    pairs = max(1, len(bars) // 4)
    steps: list[int] = []
    rhythm = RHYTHMS[0]
    for i in range(0, len(bars) - 1, 2):
        phrase = i // 2
        name = CONVERSATION[phrase % len(CONVERSATION)]
        chord, scale = MINOR[name], scale_under(name, A_MINOR_SCALE)
        t0 = bars[i]
        w.at(t0)
        span = bars[i + 1] + w.bar - t0 if i + 1 < len(bars) else 2 * w.bar
        closer = min(1.0, (phrase // 2) / pairs)  # 0 .. 1: the registers converge
        w.piano(t0, chord[0], 0.36, span)
        if phrase % 2 == 0:  # the call: a new rhythm and a contour that mostly rises
            rhythm = RHYTHMS[int(w.rng.integers(len(RHYTHMS)))]
            steps = [int(w.rng.choice((-1, 1, 1, 2, 2, -2))) for _ in rhythm[1:]]
            start = near(72 - 3 * closer, chord, scale)
            pitches = walk(start, steps, scale)
            pitches[-1] = near(pitches[-1], chord, scale)
            _say(w, t0, rhythm, pitches, 0.5)
        else:  # the answer: her rhythm, her contour upside down, from below
            start = near(60 + 3 * closer, chord, scale)
            pitches = walk(start, [-s for s in steps], scale)
            pitches[-1] = near(pitches[-1], chord, scale)
            _say(w, t0, rhythm, pitches, 0.46)
        # the strings hold the harmony low; under the dominant, its bass, fifth and third
        # (G sharp: the leading tone is heard, not only implied)
        voices = chord[:3]
        if name in DOMINANTS:
            voices = (chord[0], *[p for p in chord[1:] if p % 12 in (8, 11)][:2])
        for pitch in voices:
            w.strings(t0, pitch, 0.2, span + 0.3)
        w.pedal_span(t0, t0 + span - 0.05)


def _step(w: _Writer, pitch: int, scale: tuple[int, ...]) -> int:
    """The next note of a singing line: a step or a small leap, turned back at its range's edge."""
    i = min(range(len(scale)), key=lambda j: abs(scale[j] - pitch))
    j = i + int(w.rng.choice((-2, -1, -1, 1, 1, 2)))
    if not 0 <= j < len(scale):
        j = i - (j - i)  # bounce back into the range
    return scale[min(max(j, 0), len(scale) - 1)]


def _lean(w: _Writer, pitch: int, scale: tuple[int, ...], target: float) -> int:
    """The next note within a bar: a step, more often toward the target than away from it."""
    i = min(range(len(scale)), key=lambda j: abs(scale[j] - pitch))
    direction = 1 if target > pitch else -1
    step = int(w.rng.choice((1, 1, 1, 2, -1, -1))) * direction
    j = i + step
    if not 0 <= j < len(scale):
        j = i - step  # turned back at the edge of the range, never held there
    return scale[min(max(j, 0), len(scale) - 1)]


@dataclass(frozen=True)
class _Bar:
    """One bar of ``together``: where it falls, how far the section has grown, its harmony."""

    t0: float
    index: int
    growth: float  # 0 .. 1 across the section
    first: bool  # the first bar of its harmony
    length: int  # how many bars the harmony lasts
    shape: tuple[int, ...]  # the arpeggio: indices into the voicing, one per beat
    chord: tuple[int, ...]
    scale: tuple[int, ...]  # what the line may sing over it

    @property
    def vel(self) -> float:
        return 0.42 + 0.42 * self.growth

    @property
    def tones(self) -> list[int]:
        return [p for p in self.scale if p % 12 in pitch_classes(self.chord)]


@dataclass
class _Line:
    """Where the singing line of ``together`` is, and the note its last bar began on."""

    pitch: int
    downbeat: int


def _together(w: _Writer) -> None:
    """Hand in hand: arpeggios under a singing line, piano and strings growing to the lift.

    The harmony is :data:`.harmony.TOGETHER_HEAD`: A minor throughout, cadencing through E. The
    line begins with the written theme (:data:`.harmony.THEME`, a note or two a bar), then sings
    on its own (:func:`_sing`). The arpeggio changes shape with each harmony, and in the last
    third the strings open an octave higher.
    Nothing is struck as the silence comes: the last chord (the dominant, left unresolved)
    falls on the last downbeat that leaves it time to ring, the strings bow out before it,
    and hands and pedal lift just before the apex, so the music breathes out into the
    silence instead of being cut.
    """
    apex = w.cue("lift_apex")
    bars = [t for t in w.bars("together", "lift_apex") if t <= apex - LAST_CHORD_RING]
    n = max(1, len(bars))
    high = tuple(p for p in A_MINOR_SCALE if 69 <= p <= 86)
    line = _Line(76, 76)
    tail = sum(length for _, length in TOGETHER_TAIL)
    theme = min(THEME[-1][0] + 1, len(bars) - tail)  # the theme is the head's, never the tail's
    harmonies = [
        (h, name, k, length)
        for h, (name, length) in enumerate(together_plan(len(bars)))
        for k in range(length)
    ]
    for i, (t0, (h, name, k, length)) in enumerate(zip(bars, harmonies, strict=True)):
        w.at(t0)
        deep = i >= len(bars) - tail  # the last bars, down to E2
        chord = MINOR[name] if deep else TOGETHER_VOICING.get(name, MINOR[name])
        scale = scale_under(name, high)
        bar = _Bar(t0, i, i / n, k == 0, length, SHAPES[h % len(SHAPES)], chord, scale)
        if t0 == bars[-1]:
            _last_chord(w, bar, line, apex)
            break
        for beat in range(w.per_bar):
            lean = 1.08 if beat == 0 else 0.94  # the downbeat leans, the others follow
            pitch = chord[bar.shape[beat % 3]]
            w.piano(t0 + beat * w.beat, pitch, bar.vel * 0.62 * lean, w.beat * 1.5)
        if i < theme:  # the theme, as written
            written = [(beat, held, pitch) for b, beat, held, pitch in THEME if b == i]
            for j, (beat, beats_held, pitch) in enumerate(written):
                line.pitch = pitch
                vel = bar.vel * arc(j, len(written))
                w.piano(t0 + beat * w.beat, line.pitch, vel, beats_held * w.beat)
        else:
            _sing(w, bar, line)
        if bar.first:
            _bow(w, bar, apex)
        w.pedal_span(t0, t0 + w.bar - 0.05)


def _sing(w: _Writer, bar: _Bar, line: _Line) -> None:
    """A bar of the line on its own: two notes a bar, then a note a beat at the height, rising
    and falling over each eight bars and climbing with the section. Where a harmony changes
    under a note that is not its own, the line leans on it and falls a step into the chord (an
    appoggiatura: the sigh of F to E, A to G sharp)."""
    beats: tuple[int, ...] = ((0,), (0, 2), (0, 1, 2))[min(2, int(bar.growth * 3))]
    beats = (0, 2) if beats == (0,) else beats  # the theme has set the line moving
    beats = tuple(b for b in beats if b < w.per_bar)  # a bar of one or two beats
    # where the line goes in this bar: up and down over eight bars, higher as it grows
    target = 73.0 + 9.0 * bar.growth + 3.5 * float(np.sin(np.pi * ((bar.index % 8) + 0.5) / 8))
    # a new harmony under a note a step above one of its tones: lean on it, then fall
    # (where the line can afford to: not below where it is going)
    tones = bar.tones
    below = [p for p in tones if 0 < line.pitch - p <= 2]
    sigh = (
        bar.first
        and line.pitch % 12 not in pitch_classes(bar.chord)
        and bool(below)
        and line.pitch > target
    )
    for j, beat in enumerate(beats):
        if sigh and j == 0:
            pass  # the note held over from the last harmony, struck again
        elif sigh and j == 1:
            line.pitch = below[-1]
        elif beat == 0:
            line.pitch = toward(line.pitch, tones, target, line.downbeat)
        else:
            line.pitch = _lean(w, line.pitch, bar.scale, target)
        if beat == 0:
            line.downbeat = line.pitch
        held = w.beat * (w.per_bar - beat)
        lean = 1.1 if sigh and j == 0 else 1.0
        w.piano(bar.t0 + beat * w.beat, line.pitch, bar.vel * arc(j, len(beats)) * lean, held)


def _bow(w: _Writer, bar: _Bar, apex: float) -> None:
    """The strings hold a harmony for as long as it lasts, and are gone by the silence. In the
    last third they open upward (an octave above the top), never downward: the 40-80 Hz band
    stays the heartbeat's."""
    voices = bar.chord[:4] + ((bar.chord[-1] + 12,) if bar.growth >= 2 / 3 else ())
    bow = min(bar.length * w.bar + 0.3, apex - BOW_RELEASE_MAX - bar.t0)
    for pitch in voices if bow >= w.beat else ():
        w.strings(bar.t0, pitch, 0.22 + 0.3 * bar.growth, bow)


def _last_chord(w: _Writer, bar: _Bar, line: _Line, apex: float) -> None:
    """The last chord before the silence, rolled from the bass and left to ring; hands and
    pedal come up just before the apex."""
    let_go = apex - LET_GO
    line.pitch = near(line.pitch, bar.chord, bar.scale)
    for j, pitch in enumerate(bar.chord[:4]):
        w.piano(bar.t0 + 0.04 * j, pitch, bar.vel * 0.62, let_go - bar.t0 - 0.04 * j)
    w.piano(bar.t0, line.pitch, bar.vel, let_go - bar.t0)
    w.pedal_span(bar.t0, let_go)


def _after(w: _Writer) -> None:
    """After the silence: the relative major, softer and slower, making room for the breath.

    The opening's two notes come back at ``after``, now at home in the major key: a memory.
    """
    resumes, after = w.cue("music_resumes"), w.cue("after")
    breath, music_end = w.cue("last_breath"), w.cue("music_end")
    soft = db_gain(-AFTER_SOFTER_DB)  # the strings' level is their amplitude
    # its own draws: what is played before the silence never moves the notes after it
    w.rng = np.random.default_rng(w.seeds.phrases_after)
    w.touch = np.random.default_rng(w.seeds.touch_after)

    def quiet(vel: float) -> float:  # the piano's loudness is affine in its velocity
        return softer(vel, AFTER_SOFTER_DB)

    w.at(resumes)
    # the exhale: one soft chord exactly when the music returns
    first = MAJOR["C"]
    for j, pitch in enumerate(first):
        w.piano(resumes + 0.09 * j, pitch, quiet(0.42), 2 * w.bar, exact=True)
        w.strings(resumes, pitch, 0.2 * soft, 2 * w.bar + 0.5)
    w.pedal_span(resumes, resumes + 2 * w.bar - 0.05)
    # the last chord falls on the last downbeat that leaves it a bar and a half to ring
    endings = [t for t in w.bars("music_resumes", "music_end") if t <= music_end - 1.5 * w.bar]
    if not endings:
        return  # too short a close for the last chord to ring: the exhale alone, then silence
    final = endings[-1]
    bars = [t for t in w.bars("music_resumes", "music_end") if t >= resumes + 2 * w.bar - 1e-6]
    memory = [t for t in bars if t >= after - 1e-6][:2]  # E5 then C5, as at the very start
    high = tuple(p for p in C_MAJOR_SCALE if 67 <= p <= 81)
    line = 76
    for i, t0 in enumerate(bars):
        w.at(t0)
        if t0 + w.bar > final:
            break
        if breath - 2.5 * w.bar <= t0 < breath + w.bar:  # leave the breath alone in the room
            continue
        chord = MAJOR[AFTER[(i // 2) % len(AFTER)]]
        if t0 in memory:
            chord = MAJOR["C"] if t0 == memory[0] else MAJOR["Am"]
        w.piano(t0, chord[0], quiet(0.36), w.bar)
        if t0 in memory:
            line = 76 if t0 == memory[0] else 72
            w.piano(t0, line, quiet(0.5), 2 * w.beat)
        else:
            beat = int(w.rng.integers(2)) if i % 4 != 3 else 0
            line = near(line, chord, high) if beat == 0 else _step(w, line, high)
            w.piano(t0 + beat * w.beat, line, quiet(0.48), 2 * w.beat)
            if i % 4 == 1:  # now and then a second, quieter note answers within the bar
                line = _step(w, line, high)
                w.piano(t0 + 2 * w.beat, line, quiet(0.4), w.beat)
        if i % 2 == 0:
            for pitch in chord[:3]:
                w.strings(t0, pitch, 0.24 * soft, 2 * w.bar + 0.4)
        w.pedal_span(t0, t0 + w.bar - 0.05)
    _last_chord_after(w, final, music_end, soft)


def _last_chord_after(w: _Writer, final: float, music_end: float, soft: float) -> None:
    """The last chord, left to ring; the pedal lifts when the music ends. C on top (and E in
    the middle) rather than G doubled: the ending is heard at home in C, not on G, and as C5
    carries more than E4 did, it is struck a little softer."""
    w.at(final)
    for j, pitch in enumerate(MAJOR["Cadd9"]):
        w.piano(final + 0.11 * j, pitch, softer(0.3, AFTER_SOFTER_DB), music_end - final, True)
        w.strings(final, pitch, 0.18 * soft, music_end - final - 1.0)
    w.pedal_span(final, music_end)
