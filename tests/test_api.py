"""The Python API finds what the CLI finds."""

from __future__ import annotations

from typing import Any

import redline


def test_screen_texts() -> None:
    findings = redline.screen(["这是机密★1年的文件，请勿外传", "收到，谢谢"], ids=["a", "b"])
    assert {f.subject_id for f in findings} == {"a"}
    assert any(f.evidence == "机密★1年" and f.start == 2 for f in findings)


def test_scan_bundle_finds_the_planted_seed_cases(demo_bundle: Any) -> None:
    findings = redline.scan(demo_bundle.bundle_path)
    planted = demo_bundle.planted["cases"]
    grain = planted["grain_trader_packets"]
    leads = [f for f in findings if f.detector.startswith("payments.") and f.person_id == grain["person_id"]]
    assert leads
    assert set(grain["payment_ids"]) <= {pid for f in leads for pid in f.related_ids}
    classified = planted["classified_notice"]["message_ids"][0]
    assert any(f.subject_id == classified and f.category == "secrets" for f in findings)
