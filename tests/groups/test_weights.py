"""Group checks' score weights are named config fields: a pack sets them, a typo or an out-of-range
value is an error, and `packs show` lists them."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from redline.cli import main
from redline.contracts import Trigger
from redline.groups.unregistered import Unregistered, UnregisteredConfig
from redline.groups.weights import GroupWeights
from redline.registry import RECORD_ANALYZERS

GROUP_KEYS = sorted(k for k in RECORD_ANALYZERS if k.startswith("groups."))


@pytest.mark.parametrize("key", GROUP_KEYS)
def test_every_group_check_has_named_weights_and_refuses_a_typo(key: str) -> None:
    cls = RECORD_ANALYZERS[key]
    weights = cls.Config().model_dump()["weights"]
    assert weights
    assert all(isinstance(v, float) for v in weights.values())
    assert isinstance(cls.Config.model_fields["weights"].default, GroupWeights)
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        cls.Config.model_validate({"weights": {"no_such_weight": 0.1}})
    [name] = weights
    with pytest.raises(ValidationError, match="less than or equal to 1"):
        cls.Config.model_validate({"weights": {name: 1.5}})


@pytest.mark.parametrize(("weights", "score"), [({}, 1.0), ({"breach": 0.4}, 0.4)], ids=["default", "lowered"])
def test_a_pack_weight_sets_the_score(kit, weights: dict[str, float], score: float) -> None:  # type: ignore[no-untyped-def]
    k = kit
    tables = k.make(people=[k.person("p1", "张三"), k.person("p2", "李四", "税务局"), k.person("p3", "王五")],
                    groups=[k.group("g1", "项目对接群", "p1", registered=False, type_="other")],
                    memberships=[k.member("g1", p, None) for p in ("p1", "p2", "p3")])
    trigger = Trigger("XY-01", "XY-01#0", UnregisteredConfig.model_validate({"weights": weights}))
    [finding] = Unregistered().analyze(tables, [trigger])
    assert finding.score == pytest.approx(score)


def test_packs_show_lists_the_group_weights(capsys: pytest.CaptureFixture[str]) -> None:
    main(["packs", "show", "xianyang-2015"])
    out = capsys.readouterr().out
    assert "groups.display_name" in out
    assert "score weights: breach=1.0" in out
