"""Words the console shows for vocabulary values, marked for translation (the catalogues hold zh_CN).

Templates call `_(value)` on stored values (categories, severities, statuses …); listing them
here lets `pybabel extract -k N_` put them in the catalogue.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Final

import yaml

from redline.rules.load import shipped_pack_paths


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, do not translate yet"
    """Mark a string for extraction."""
    return message


@lru_cache(maxsize=1)
def _shipped_packs() -> tuple[dict[str, Any], ...]:
    """The shipped packs' YAML documents (read once; a file that cannot be read is skipped)."""
    heads = []
    for path in shipped_pack_paths():
        try:
            head = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            continue
        if isinstance(head, dict) and head.get("pack"):
            heads.append(head)
    return tuple(heads)


@lru_cache(maxsize=1)
def _pack_labels() -> dict[str, str]:
    labels = {}
    for head in _shipped_packs():
        issuer, year = str(head.get("issued_by") or head.get("title") or ""), head.get("year")
        labels[str(head["pack"])] = f"{issuer}（{year}）" if issuer and year else issuer or str(head["pack"])
    return labels


@lru_cache(maxsize=1)
def _rule_packs() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for head in _shipped_packs():
        for rule in head.get("rules") or ():
            if isinstance(rule, dict) and rule.get("id"):
                out.setdefault(str(rule["id"]), []).append(str(head["pack"]))
    return out


def packs_of_rule(rule_id: str) -> list[str]:
    """The shipped packs that hold a rule: for findings stored without their pack (attachment
    findings before the scan kept it), so the reviewer still reads who issued the rule."""
    return list(_rule_packs().get(rule_id, ()))


def pack_label(pack: str) -> str:
    """A pack as reviewers name it: its issuer and year (天津市委组织部（2017）), not its file id."""
    return _pack_labels().get(pack, pack)


LABELS: Final = (
    # the categories of vocab.Category
    N_("political"), N_("secrets"), N_("privacy"), N_("rumour"), N_("vulgar"), N_("promotion"),
    N_("gifts"), N_("gambling"), N_("superstition"), N_("factions"), N_("vote_buying"), N_("flattery"),
    N_("off_topic"), N_("governance"), N_("conduct"),
    # severities
    N_("low"), N_("medium"), N_("high"), N_("critical"),
    # alert and case statuses, outcomes
    N_("new"), N_("dismissed"), N_("escalated"), N_("open"), N_("investigating"), N_("concluded"),
    N_("violation"), N_("no_violation"),
    # subjects, message and payment kinds
    N_("message"), N_("payment"), N_("group"), N_("person"), N_("file"),
    N_("image"), N_("voice"), N_("video"), N_("link"), N_("red_packet"), N_("transfer"), N_("revoke"),
    N_("post"), N_("repost"),
    N_("system"), N_("gift_card"), N_("bank"), N_("wechat"), N_("alipay"), N_("wecom"), N_("other"),
    # group types (vocab.GroupType), shown as group_type_<value>
    N_("group_type_leadership"), N_("group_type_department"), N_("group_type_task"), N_("group_type_liaison"),
    N_("group_type_social"), N_("group_type_other"), N_("paid"), N_("received"), N_("returned"), N_("refunded"),
    N_("expired"),
    # roles
    N_("admin"), N_("analyst"), N_("investigator"), N_("auditor"), N_("intake"),
    # decisions
    N_("dismiss"), N_("tag"), N_("assign"), N_("escalate"), N_("reopen"), N_("status"), N_("disposition"), N_("note"),
    # sorts
    N_("sort_severity"), N_("sort_risk"), N_("sort_newest"), N_("sort_oldest"),
    # why a hit was wrong (routes.alerts.WRONG_HIT_REASONS)
    N_("wrong_hit_wording"), N_("wrong_hit_context"), N_("wrong_hit_returned"), N_("wrong_hit_data"), N_("wrong_hit_other"),
    # the case's context filter (review.cases.TIMELINE_KINDS)
    N_("timeline_all"), N_("timeline_message"), N_("timeline_payment"), N_("timeline_group"),
    # public reports' statuses, words of their own (a payment "received" is 已收款, a report 已收到)
    N_("report_received"), N_("report_accepted"), N_("report_closed"),
    # intake reports: statuses, who wrote a message, notices
    N_("accepted"), N_("closed"), N_("officer"), N_("reporter"), N_("outcome"), N_("reply sent"),
)
