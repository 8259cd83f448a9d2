"""Score weights are named config fields: a pack can set them, a typo is an error, `packs show` lists them."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from redline.cli import main
from redline.payments.analyzer import Weights
from redline.registry import RECORD_ANALYZERS

PAYMENT_KEYS = sorted(k for k in RECORD_ANALYZERS if k.startswith("payments."))


@pytest.mark.parametrize("key", PAYMENT_KEYS)
def test_every_typology_has_named_weights_and_refuses_a_typo(key: str) -> None:
    cls = RECORD_ANALYZERS[key]
    weights = cls.Config().model_dump()["weights"]
    assert weights
    assert all(isinstance(v, float) for v in weights.values())
    assert isinstance(cls.Config.model_fields["weights"].default, Weights)
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        cls.Config.model_validate({"weights": {"no_such_weight": 0.1}})


@pytest.mark.parametrize(("weights", "delta"), [({}, 0.0), ({"large": 0.3}, -0.2), ({"round_thousand": 0.0}, -0.05)],
                         ids=["defaults", "large", "round"])
def test_a_pack_weight_moves_the_score(ledger, run, weights: dict[str, float], delta: float) -> None:  # type: ignore[no-untyped-def]
    ledger.person("o1", "周某")
    ledger.person("v1", "某村民", official=False, external=False)
    ledger.pay("v1", "o1", 5000, "2017-05-02T20:04:00", kind="transfer")
    [default] = run("payments.large_sums", ledger.tables())
    [moved] = run("payments.large_sums", ledger.tables(), weights=weights)
    assert moved.score == pytest.approx(default.score + delta)


def test_packs_show_lists_the_weights(capsys: pytest.CaptureFixture[str]) -> None:
    main(["packs", "show", "tianjin-2017"])
    out = capsys.readouterr().out
    assert "payments.large_sums" in out
    assert "score weights: large=0.5, lucky_only=0.3" in out
