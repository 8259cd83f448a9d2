"""Act frames: act × object × state (or recipient, favour, stake …) as pack data.

A term list cannot enumerate how people say "I'm sending you the draft before it is out";
a frame names the parts of such an act instead (`frames/*.yaml`): each slot lists the ways
people write that part, and a message shows the act when every slot has a term within
`window` characters (spans may not overlap). One slot is the `anchor`: the rarest part,
looked for in the whole batch; the other slots only in the rows that have it. `unless`
lists words of correct handling or of a notice that make the frame not apply
(签字领取 after 内部文件). Frames are read by the `frames` detector and named by pack rules:
`- frames: {frames: [leak-unreleased-document]}`.

Errors point at the frame file's line, like the packs': `frames/conduct.yaml:12:7:
frames[3].slots.act: …`.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Final

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from redline.errors import PackError, SourceLocation
from redline.specs.hints import did_you_mean
from redline.specs.yaml_source import load_yaml
from redline.text.normalize import normalize_text
from redline.vocab import Category

SHIPPED_DIR: Final = Path(__file__).resolve().parent.parent / "frames"
FRAME_ID: Final = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
# the slot names a `why` may carry (reasons.why_zh puts each into Chinese)
SLOT_NAMES: Final = frozenset({
    "act", "object", "state", "recipient", "favour", "stake", "game", "tool", "occasion",
    "bond", "purpose", "party", "gift", "vote", "info", "target",
})


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class FrameExamples(_Frozen):
    """Texts the frame must find (`match`) and must not (`no_match`): run by the tests."""

    match: tuple[str, ...] = ()
    no_match: tuple[str, ...] = ()


class Frame(_Frozen):
    """One act: its slots (name → terms), the anchor slot, the window, what cancels it."""

    id: str = Field(pattern=FRAME_ID.pattern)
    title: str = Field(min_length=1)  # Chinese, for the reviewer (shown in the `why`)
    category: Category  # the category the act belongs to (documentation; the rule files it)
    means: str = Field(min_length=1)  # one English sentence: what the act is
    anchor: str
    window: int = Field(default=24, ge=2, le=200)
    slots: dict[str, tuple[str, ...]]
    unless: tuple[str, ...] = ()
    examples: FrameExamples = Field(default_factory=FrameExamples)

    @field_validator("slots")
    @classmethod
    def _slots(cls, slots: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        if len(slots) < 2:
            raise ValueError("a frame has at least two slots")
        for name, terms in slots.items():
            if name not in SLOT_NAMES:
                raise ValueError(f"unknown slot {name!r}{did_you_mean(name, SLOT_NAMES)}")
            if not terms:
                raise ValueError(f"slot {name!r} has no terms")
            if any(not normalize_text(t).strip() for t in terms):
                raise ValueError(f"slot {name!r} has an empty term")
            dupes = sorted({t for t in terms if terms.count(t) > 1})
            if dupes:
                raise ValueError(f"slot {name!r} lists {dupes[0]!r} twice")
        return slots

    @model_validator(mode="after")
    def _anchor_is_a_slot(self) -> Frame:
        if self.anchor not in self.slots:
            raise ValueError(f"anchor {self.anchor!r} is not a slot (slots: {', '.join(self.slots)})")
        short = [t for t in self.slots[self.anchor] if len(normalize_text(t)) < 2]
        if short:
            # a one-character anchor would send most of a batch to the second stage
            raise ValueError(f"anchor term {short[0]!r} is shorter than two characters")
        return self


class FrameFile(_Frozen):
    """One frame file: a list of frames."""

    frames: tuple[Frame, ...] = Field(min_length=1)


def load_frame_file(path: Path, errors: list[PackError]) -> tuple[Frame, ...]:
    """The frames of one file; problems are appended to `errors` with their line."""
    try:
        doc = load_yaml(path)
    except PackError as exc:
        errors.append(exc)
        return ()
    try:
        parsed = FrameFile.model_validate(doc.data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(x for x in err["loc"] if isinstance(x, (str, int)))
            errors.append(doc.error(loc, err["msg"]))
        return ()
    seen: set[str] = set()
    for i, frame in enumerate(parsed.frames):
        if frame.id in seen:
            errors.append(doc.error(("frames", i, "id"), f"frame id {frame.id!r} is used twice"))
        seen.add(frame.id)
    return parsed.frames


def load_frames(dirs: tuple[Path, ...] | None = None) -> tuple[dict[str, Frame], list[PackError]]:
    """Every frame of the `*.yaml` files in `dirs` (the shipped folder by default), by id,
    and the errors met."""
    errors: list[PackError] = []
    frames: dict[str, Frame] = {}
    for folder in dirs or (SHIPPED_DIR,):
        for path in sorted(folder.glob("*.yaml")):
            for frame in load_frame_file(path, errors):
                if frame.id in frames:
                    errors.append(PackError(f"frame id {frame.id!r} is defined in two files", SourceLocation(path)))
                frames[frame.id] = frame
    return frames, errors


@functools.cache
def shipped_frames() -> dict[str, Frame]:
    """The shipped frames; a broken frame file is an error here (it ships with the code)."""
    frames, errors = load_frames()
    if errors:
        more = f" (and {len(errors) - 1} more errors)" if len(errors) > 1 else ""
        raise PackError(errors[0].message + more, errors[0].location)
    return frames
