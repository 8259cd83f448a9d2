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


@pytest.mark.parametrize(("weights", "delta"), [({}, 0.0), ({"inferred": 0.4}, -0.2), ({"size_cap": 0.0}, None)],
                         ids=["defaults", "inferred", "no-size"])
def test_an_inferred_party_lead_is_scored_by_the_named_weights(ledger, run, weights: dict[str, float],  # type: ignore[no-untyped-def]
                                                                delta: float | None) -> None:
    """The inferred managed-party lead once had its own literals; now the pack's weights score it too."""
    ledger.person("o1", "赵某", unit="住建局")
    ledger.person("o2", "钱某", unit="住建局")
    ledger.person("c1", "某建筑公司", official=False, external=True)
    ledger.event("E1", "2016-02-01", "bid", "o2", "c1")
    ledger.pay("c1", "o1", 888, "2016-03-01T10:00:00", kind="transfer")  # a WeChat packet holds 200 at most
    [default] = run("payments.managed_party_gifts", ledger.tables())
    [moved] = run("payments.managed_party_gifts", ledger.tables(), weights=weights)
    assert default.facts["inferred_from"] == "beneficiary"
    if delta is None:  # no size part: the score is the inferred weight alone (one payment, no repeat part)
        assert moved.score == pytest.approx(0.6)
        assert moved.facts["score_parts"]["size"] == 0.0
    else:
        assert moved.score == pytest.approx(default.score + delta)


def test_the_old_inferred_score_key_is_refused() -> None:
    """`inferred_score` moved into `weights.inferred`: a pack still using the old key is told, not ignored."""
    with pytest.raises(ValidationError, match="inferred_score"):
        RECORD_ANALYZERS["payments.managed_party_gifts"].Config.model_validate({"inferred_score": 0.6})
