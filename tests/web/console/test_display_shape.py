"""The shape of a 备注 (display name): the 单位 part kept, every character after it hidden."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from redline.web.console.present import display_shape


@pytest.mark.parametrize(
    ("name", "shape"),
    [("县委办-张伟", "县委办-＊＊"), ("交通局-江苑姣", "交通局-＊＊＊"), ("静待花开", "＊＊＊＊"), ("Leo", "＊＊＊"), ("", "")],
)
def test_shapes(name: str, shape: str) -> None:
    assert display_shape(name) == shape


@given(st.text(alphabet="县委办交通局张王李赵-_ ", max_size=12))
def test_nothing_after_the_unit_survives(name: str) -> None:
    shape = display_shape(name)
    assert len(shape) == len(name)
    cut = max((name.find(s) for s in "-_ " if name.find(s) > 0), default=-1)
    kept = shape.rstrip("＊")
    assert name.startswith(kept)
    assert len(kept) <= max(cut + 1, 0) or kept == ""
