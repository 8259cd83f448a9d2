from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from redline.errors import PackError
from redline.rules.load import Registry, load_packs, resolve_pack_paths, shipped_pack_paths

HEAD = """\
pack: demo
title: 示例规定
issued_by: 示例单位
year: 2017
version: "1"
source: {title: 报道, publisher: 日报, date: 2017-06-13}
rules:
"""

RULE = """\
  - id: {rid}
    title: 送礼
    text: 严禁收受红包。
    category: gifts
    severity: high
    when:
{when}
    examples:
      match: ["一点心意"]
"""


def pack(*rules: tuple[str, str], head: str = HEAD) -> str:
    return head + "".join(RULE.format(rid=rid, when=when) for rid, when in rules)


WritePack = Callable[..., Path]


def messages(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(e) for e in result.errors]


def test_shorthand_and_mapping_forms_validate(write_pack: WritePack, registry: Registry) -> None:
    path = write_pack(pack(("DM-01", "      - lexicon: gift-offers\n      - lexicon: {lexicon: vulgar, min_count: 2}\n      - pii: {}\n        category: privacy")))
    result = load_packs([path], registry=registry)
    assert result.errors == []
    [rule] = result.packs.rules
    assert [(t.trigger.label, t.key, t.category) for t in rule.triggers] == [
        ("DM-01#lexicon:gift-offers", "lexicon", "gifts"),
        ("DM-01#lexicon:vulgar", "lexicon", "gifts"),
        ("DM-01#pii", "pii", "privacy"),
    ]
    assert rule.triggers[1].trigger.config.model_dump() == {"lexicon": "vulgar", "min_count": 2, "official_prose": True}


def test_unknown_lexicon_names_file_line_field_and_suggestion(write_pack: WritePack, registry: Registry) -> None:
    path = write_pack(pack(("DM-01", "      - pii: {}\n      - lexicon: gift-offer")))
    result = load_packs([path], registry=registry)
    assert messages(result) == [
        f"{path}:15:9: rules[0].when[1].lexicon: unknown lexicon 'gift-offer' (did you mean 'gift-offers'?)",
    ]


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("      - lexcon: gift-offers", "14:9: rules[0].when[0].lexcon: unknown detector 'lexcon' (did you mean 'lexicon'?)"),
        ("      - lexicon: {lexicon: vulgar, min_cont: 2}", "14:36: rules[0].when[0].lexicon.min_cont: Extra inputs are not permitted"),
        ("      - lexicon: {lexicon: vulgar, min_count: 0}", "14:36: rules[0].when[0].lexicon.min_count: Input should be greater than or equal to 1"),
        ("      - lexicon: gift-offers\n        pii: {}", "14:9: rules[0].when[0]: Value error, a `when` entry names exactly one detector key, got 2"),
        ("      - payments.large_sums: {min_yuan: -5}", "14:31: rules[0].when[0].payments.large_sums.min_yuan: Input should be greater than 0"),
    ],
    ids=["unknown-detector", "extra-field", "bad-value", "two-keys", "record-analyzer-config"],
)
def test_when_errors(write_pack: WritePack, registry: Registry, when: str, expected: str) -> None:
    path = write_pack(pack(("DM-01", when)))
    result = load_packs([path], registry=registry)
    assert len(result.errors) == 1
    assert str(result.errors[0]) .startswith(f"{path}:{expected}")


def test_schema_errors_are_all_collected(write_pack: WritePack, registry: Registry) -> None:
    text = pack(("DM-01", "      - pii: {}")).replace("category: gifts", "category: gift").replace("id: DM-01", "id: dm1")
    path = write_pack(text)
    result = load_packs([path], registry=registry)
    got = messages(result)
    assert len(got) == 2
    assert got[0].startswith(f"{path}:8:5: rules[0].id: String should match pattern")
    assert got[1].startswith(f"{path}:11:5: rules[0].category: Input should be 'political'")


def test_duplicate_rule_ids_across_packs(write_pack: WritePack, registry: Registry) -> None:
    a = write_pack(pack(("DM-01", "      - pii: {}")), "a.yaml")
    b = write_pack(pack(("DM-01", "      - pii: {}")).replace("pack: demo", "pack: other"), "b.yaml")
    result = load_packs([a, b], registry=registry)
    assert messages(result) == [f"{b}:8:5: rules[0].id: duplicate rule id 'DM-01' (first at {a}:8)"]


def test_duplicate_yaml_key_is_an_error(write_pack: WritePack, registry: Registry) -> None:
    path = write_pack(pack(("DM-01", "      - pii: {}")).replace("year: 2017\n", "year: 2017\nyear: 2018\n"))
    result = load_packs([path], registry=registry)
    assert len(result.errors) == 1
    assert str(result.errors[0]).startswith(f"{path}:5:1: duplicate key")


def test_rule_params_fill_config_fields_of_the_same_name(write_pack: WritePack, registry: Registry) -> None:
    text = pack(("DM-01", "      - payments.large_sums: {}")).replace("    examples:", "    params: {min_yuan: 800, unrelated: x}\n    examples:")
    result = load_packs([write_pack(text)], registry=registry)
    assert result.packs.rules[0].triggers[0].trigger.config.model_dump() == {"min_yuan": 800, "grace_days": 0}
    # a parameter no trigger takes would be ignored silently: it is an error instead
    assert [str(e).split(": ", 1)[1] for e in result.errors] == [
        "rules[0].params.unrelated: no trigger of DM-01 takes a parameter 'unrelated'",
    ]


def test_overrides_terms_severity_params_when_and_switch_off(write_pack: WritePack, registry: Registry, tmp_path: Path) -> None:
    path = write_pack(pack(("DM-01", "      - lexicon: org-political"), ("DM-02", "      - payments.large_sums: {}"), ("DM-03", "      - pii: {}")))
    before = load_packs([path], registry=registry)
    assert before.packs.rules[0].triggers[0].empty_lexicons == ("org-political",)
    (tmp_path / "terms.txt").write_text("# 本单位词表\n术语甲\n术语乙|pinyin\n", encoding="utf-8")
    ov = tmp_path / "org.yaml"
    ov.write_text(
        "lexicons:\n  org-political: {file: terms.txt, add: [术语丙]}\n  gift-offers: {remove: [一点心意]}\n"
        "rules:\n  DM-01: {severity: critical}\n  DM-02: {when: {payments.large_sums: {min_yuan: 20000}}}\n"
        "  DM-03: {enabled: false}\n",
        encoding="utf-8",
    )
    after = load_packs([path], ov, registry=registry)
    assert after.errors == []
    # the organisation's own terms carry `org` (a model never vetoes their hits)
    assert after.packs.lexicons["org-political"].terms == ("术语丙|org", "术语甲|org", "术语乙|pinyin|org")
    assert "一点心意" not in after.packs.lexicons["gift-offers"].terms
    dm1, dm2, dm3 = after.packs.rules
    assert (dm1.rule.severity, dm1.triggers[0].empty_lexicons) == ("critical", ())
    assert dm2.triggers[0].trigger.config.model_dump()["min_yuan"] == 20000
    assert not dm3.enabled
    assert after.packs.version != before.packs.version


def test_overrides_naming_unknown_rules_or_lexicons(write_pack: WritePack, registry: Registry, tmp_path: Path) -> None:
    path = write_pack(pack(("DM-01", "      - pii: {}")))
    ov = tmp_path / "org.yaml"
    ov.write_text("lexicons:\n  gift-offers: {remove: [心意]}\n", encoding="utf-8")
    assert messages(load_packs([path], ov, registry=registry)) == [
        f"{ov}:2:26: lexicons.gift-offers.remove[0]: '心意' is not a term of 'gift-offers'",
    ]
    ov.write_text("lexicons:\n  gift-offer: {add: [x]}\nrules:\n  DM-10: {enabled: false}\n  DM-01: {severity: urgent}\n", encoding="utf-8")
    got = messages(load_packs([path], ov, registry=registry))
    assert got[0].startswith(f"{ov}:5:11: rules.DM-01.severity: Input should be")
    ov.write_text(
        "lexicons:\n  gift-offer: {add: [x]}\nrules:\n  DM-10: {enabled: false}\n"
        "  DM-01: {when: {payments.large_sums: {min_yuan: 10}}}\n",
        encoding="utf-8",
    )
    assert messages(load_packs([path], ov, registry=registry)) == [
        f"{ov}:4:3: rules.DM-10: unknown rule 'DM-10' (did you mean 'DM-01'?)",
        f"{ov}:5:18: rules.DM-01.when.payments.large_sums: rule DM-01 has no `payments.large_sums` trigger (its triggers: pii)",
        f"{ov}:2:3: lexicons.gift-offer: unknown lexicon 'gift-offer' (did you mean 'gift-offers'?)",
    ]


def test_labels_survive_inserting_other_triggers(write_pack: WritePack, registry: Registry) -> None:
    path = write_pack(pack(("DM-01", "      - lexicon: gift-offers\n      - pii: {}\n      - pii: {}")))
    [rule] = load_packs([path], registry=registry).packs.rules
    assert [t.trigger.label for t in rule.triggers] == ["DM-01#lexicon:gift-offers", "DM-01#pii", "DM-01#pii.2"]
    path.write_text(path.read_text(encoding="utf-8").replace("    when:\n", "    when:\n      - gift_offer: {}\n"), encoding="utf-8")
    [rule] = load_packs([path], registry=registry).packs.rules
    assert [t.trigger.label for t in rule.triggers] == [
        "DM-01#gift_offer", "DM-01#lexicon:gift-offers", "DM-01#pii", "DM-01#pii.2",
    ]


def test_bad_values_are_located_where_they_were_written(write_pack: WritePack, registry: Registry, tmp_path: Path) -> None:
    text = pack(("DM-01", "      - payments.large_sums: {}")).replace("    examples:", "    params: {min_yuan: 0}\n    examples:")
    path = write_pack(text)
    assert messages(load_packs([path], registry=registry)) == [
        f"{path}:15:14: rules[0].params.min_yuan: Input should be greater than 0",
    ]
    ov = tmp_path / "org.yaml"
    ov.write_text("rules:\n  DM-01:\n    params: {min_yuan: 100}\n    when: {payments.large_sums: {grace_days: x}}\n", encoding="utf-8")
    assert messages(load_packs([path], ov, registry=registry)) == [
        f"{ov}:4:34: rules.DM-01.when.payments.large_sums.grace_days: Input should be a valid integer, unable to parse string as an integer",
    ]


def test_version_is_stable_and_content_addressed(write_pack: WritePack, registry: Registry) -> None:
    path = write_pack(pack(("DM-01", "      - lexicon: gift-offers")))
    v1 = load_packs([path], registry=registry).packs.version
    assert load_packs([path], registry=registry).packs.version == v1
    path.write_text(path.read_text(encoding="utf-8").replace("severity: high", "severity: low"), encoding="utf-8")
    assert load_packs([path], registry=registry).packs.version != v1


def test_shipped_packs_validate_against_every_key_they_use(registry: Registry) -> None:
    result = load_packs(shipped_pack_paths(), registry=registry)
    assert messages(result) == []
    packs = {p.pack: len(p.rules) for p in result.packs.packs}
    assert packs == {
        "ai-assistants": 1, "conduct-model": 13, "fengxin": 2, "liaoyang": 1, "tianjin-2017": 10,
        "work-group-conventions": 4,
        "wuhan-groups": 3, "xianyang-2015": 6, "zhejiang-2017": 10,
    }
    ids = [lr.rule.id for lr in result.packs.rules]
    assert [i for i in ids if i.startswith("TJ")] == [f"TJ-{n:02d}" for n in range(1, 11)]
    assert [i for i in ids if i.startswith("ZJ")] == [f"ZJ-{n:02d}" for n in range(1, 11)]


def test_official_wording_is_verbatim_from_the_seed() -> None:
    seed = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_40b3790f59a4306e.txt"
    if not seed.is_file():
        pytest.skip("the seed document is not next to the repository")
    text = seed.read_text(encoding="utf-8")
    result = load_packs(shipped_pack_paths(), registry=Registry(text={}, record={}))
    for lr in result.packs.rules:
        if lr.pack.pack == "ai-assistants":  # not from the seed: a summary, says its source note
            continue
        if lr.pack.pack == "xianyang-2015":  # the report paraphrases the 办法: quoted from it
            assert lr.rule.text.rstrip("。") in text, lr.rule.id
        else:
            assert lr.rule.text.rstrip("。") in text.replace("\n", ""), lr.rule.id


def test_resolve_pack_paths() -> None:
    assert resolve_pack_paths("all") == shipped_pack_paths()
    assert [p.stem for p in resolve_pack_paths("liaoyang,fengxin")] == ["liaoyang", "fengxin"]
    with pytest.raises(PackError, match="no such pack 'tianjin' \\(did you mean 'tianjin-2017'\\?\\)"):
        resolve_pack_paths("tianjin")


def test_override_layers_stack(write_pack: WritePack, registry: Registry, tmp_path: Path) -> None:
    path = write_pack(pack(("DM-01", "      - lexicon: org-political"), ("DM-02", "      - pii: {}")))
    org = tmp_path / "org.yaml"
    org.write_text("lexicons:\n  org-political: {add: [术语甲]}\nrules:\n  DM-02: {severity: low}\n", encoding="utf-8")
    extra = tmp_path / "extra.yaml"
    extra.write_text("lexicons:\n  org-political: {add: [术语乙]}\nrules:\n  DM-02: {min_score: 0.6}\n", encoding="utf-8")
    result = load_packs([path], [org, extra], registry=registry)
    assert result.errors == []
    assert result.packs.lexicons["org-political"].terms == ("术语甲|org", "术语乙|org")
    dm2 = result.packs.rule("DM-02").rule
    assert (dm2.severity, dm2.min_score) == ("low", 0.6)
