"""Reason templates about public posts (`posts.*`): what is added to a finding's reason when a
Weibo or 朋友圈 post's reach makes it more urgent (`pipeline.reach`)."""

from __future__ import annotations

from typing import Final

from redline.reasons.template import Facts, TemplateTable

POSTS: Final = TemplateTable("posts.")


@POSTS.add("posts.urgent_reach", {"reposts": 2300, "urgent_reposts": 1000})
def _urgent_reach(facts: Facts) -> tuple[str, str]:
    count, threshold = facts["reposts"], facts["urgent_reposts"]
    return (f"该帖已被转发 {count} 次（达到 {threshold} 次），传播面广，紧急程度提高一级。",
            f"The post was reposted {count} times (≥ {threshold}): one level more urgent.")
