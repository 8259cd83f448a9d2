"""The counterparty graph of one person: who paid whom, how much, and the rings among them.

Nodes are the person, everyone they exchanged counted money with, and (for rings) the
payments among those counterparties; edges are directed payer → payee with totals in fen.
Communities come from Leiden (igraph + leidenalg) on the undirected, amount-weighted graph,
so a group of businesses that pay the official and each other shows up as one ring. The
chart is drawn with matplotlib and the WenQuanYi Micro Hei font (CJK names render).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import igraph as ig
import leidenalg

from redline.errors import NotFound
from redline.payments.frame import PaymentFrame
from redline.reasons.words import RELATION_ZH, yuan

CJK_FONT: Final = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


@dataclass(frozen=True, slots=True)
class CounterpartyGraph:
    """The graph as plain data (for the console's ECharts and for reports)."""

    person_id: str
    nodes: list[dict[str, Any]]  # id, name, relation, official, external, in_fen, out_fen, community
    edges: list[dict[str, Any]]  # source, target, fen, count
    communities: list[dict[str, Any]]  # id, members, into_person_fen, from_person_fen

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"person_id": self.person_id, "nodes": self.nodes, "edges": self.edges,
                "communities": self.communities}


def counterparty_graph(frame: PaymentFrame, person_id: str, *, seed: int = 1) -> CounterpartyGraph:
    """The person's counterparties, the money among them, and Leiden communities."""
    known = frame.rows("SELECT person_id FROM people WHERE person_id = ?", [person_id])
    if not known:
        raise NotFound(f"unknown person {person_id!r} (not in people.csv)")
    edges = frame.rows(
        """WITH me AS (SELECT pno FROM people WHERE person_id = $p), cp AS (
             SELECT DISTINCT CASE WHEN a = (SELECT pno FROM me) THEN b ELSE a END AS id
             FROM flow WHERE (SELECT pno FROM me) IN (a, b)
           ), circle AS (SELECT id FROM cp UNION SELECT pno FROM me)
           SELECT x.person_id AS source, y.person_id AS target, f.fen, f.n AS count FROM flow f
           JOIN people x ON x.pno = f.a JOIN people y ON y.pno = f.b
           WHERE f.a IN (SELECT id FROM circle) AND f.b IN (SELECT id FROM circle)
           ORDER BY source, target""",
        {"p": person_id},
    )
    ids = sorted({person_id} | {e["source"] for e in edges} | {e["target"] for e in edges})
    index = {pid: i for i, pid in enumerate(ids)}
    g = ig.Graph(n=len(ids), edges=[(index[e["source"]], index[e["target"]]) for e in edges], directed=True)
    g.es["weight"] = [math.log1p(e["fen"] / 100) for e in edges]
    if edges:
        undirected = g.as_undirected(mode="collapse", combine_edges={"weight": "sum"})
        partition = leidenalg.find_partition(undirected, leidenalg.ModularityVertexPartition,
                                             weights="weight", seed=seed)
        membership = list(partition.membership)
    else:
        membership = [0] * len(ids)
    rel = {r["other"]: r["relation"] for r in frame.rows(
        "SELECT other, min(relation) AS relation FROM rel WHERE official = ? GROUP BY other", [person_id])}
    flags = {r["person_id"]: r for r in frame.rows(
        "SELECT person_id, is_official, external FROM people WHERE person_id IN (SELECT unnest(?))", [ids])}
    into = {e["source"]: int(e["fen"]) for e in edges if e["target"] == person_id}
    out = {e["target"]: int(e["fen"]) for e in edges if e["source"] == person_id}
    nodes = [{
        "id": pid, "name": frame.name(pid), "relation": rel.get(pid), "official": bool(flags[pid]["is_official"]),
        "external": bool(flags[pid]["external"]), "in_fen": into.get(pid, 0), "out_fen": out.get(pid, 0),
        "community": membership[index[pid]],
    } for pid in ids]
    communities = []
    for c in sorted(set(membership)):
        members = [pid for pid in ids if membership[index[pid]] == c]
        communities.append({"id": c, "members": members,
                            "into_person_fen": sum(into.get(m, 0) for m in members),
                            "from_person_fen": sum(out.get(m, 0) for m in members)})
    return CounterpartyGraph(person_id, nodes, [{**e, "fen": int(e["fen"])} for e in edges], communities)


def draw(graph: CounterpartyGraph, path: Path | str) -> Path:
    """Write the graph as PNG or SVG (by suffix): node size by money, colour by community."""
    import matplotlib

    matplotlib.use("Agg")  # no display on servers
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    target = Path(path)
    if CJK_FONT.exists():
        font_manager.fontManager.addfont(str(CJK_FONT))
        plt.rcParams["font.family"] = font_manager.FontProperties(fname=str(CJK_FONT)).get_name()
    ids = [n["id"] for n in graph.nodes]
    index = {pid: i for i, pid in enumerate(ids)}
    g = ig.Graph(n=len(ids), edges=[(index[e["source"]], index[e["target"]]) for e in graph.edges], directed=True)
    layout = g.layout_fruchterman_reingold(seed=[[math.cos(i), math.sin(i)] for i in range(len(ids))])
    xy = [tuple(c) for c in layout.coords]
    fig, ax = plt.subplots(figsize=(9, 7), dpi=110)
    colours = plt.get_cmap("tab10")
    biggest = max([e["fen"] for e in graph.edges] or [1])
    for e in graph.edges:
        (x0, y0), (x1, y1) = xy[index[e["source"]]], xy[index[e["target"]]]
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0), arrowprops={
            "arrowstyle": "-|>", "lw": 0.5 + 3 * e["fen"] / biggest, "alpha": 0.5,
            "color": "#c0392b" if e["target"] == graph.person_id else "#7f8c8d", "shrinkA": 8, "shrinkB": 8})
    for n in graph.nodes:
        x, y = xy[index[n["id"]]]
        size = 80 + 600 * math.sqrt((n["in_fen"] + n["out_fen"]) / max(biggest, 1))
        ax.scatter([x], [y], s=900 if n["id"] == graph.person_id else size, color=colours(n["community"] % 10),
                   edgecolors="black", zorder=3)
        label = n["name"] + (f"（{RELATION_ZH.get(n['relation'], n['relation'])}）" if n["relation"] else "")
        if n["in_fen"]:
            label += f"\n→ {yuan(n['in_fen'])} 元"
        ax.annotate(label, (x, y), fontsize=8, ha="center", va="bottom", xytext=(0, 9), textcoords="offset points")
    ax.set_title(f"{graph.nodes[index[graph.person_id]]['name']} 的资金往来（红色：流入本人）")
    ax.set_axis_off()
    fig.tight_layout()
    fig.savefig(target, format=target.suffix.lstrip(".").lower() or "png")
    plt.close(fig)
    return target
