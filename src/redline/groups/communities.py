"""Communities of the interaction graph (Leiden, igraph + leidenalg) and how closed each one is.

A circle is a community; its closedness is the share of its members' interaction weight
that stays inside it (1.0: they deal only with each other). Leiden with the constant Potts
model (CPM) finds groups whose internal interaction density exceeds the resolution, whatever
the size of the rest of the graph: modularity's resolution limit would merge a small 小圈子
into a larger block, and would split a circle that is alone in its graph.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc


@dataclass(frozen=True, slots=True)
class Partition:
    """People (vertex names), their community, and per-community size, weight and closedness."""

    names: list[str]
    membership: npt.NDArray[np.int64]
    size: npt.NDArray[np.int64]
    internal: npt.NDArray[np.float64]  # weight of edges inside the community
    closedness: npt.NDArray[np.float64]  # 2·internal / Σ member strength

    def members(self, community: int) -> list[str]:
        """The person ids of one community, sorted."""
        return sorted(self.names[i] for i in np.flatnonzero(self.membership == community))

    def table(self) -> pa.Table:
        """person_id → community, as an Arrow table (for joins in DuckDB)."""
        return pa.table({"person_id": self.names, "community": self.membership})


def detect(edges: pa.Table, resolution: float = 0.5, seed: int = 7) -> Partition:
    """Leiden communities of a weighted undirected edge table (a, b, weight)."""
    # imported here: igraph pulls in matplotlib (~0.4 s), and every process that loads the
    # registry (`redline screen` among them) would pay for it without ever finding a circle
    import igraph as ig
    import leidenalg

    names = pc.unique(pa.concat_arrays([edges["a"].combine_chunks(), edges["b"].combine_chunks()]))
    ia = pc.index_in(edges["a"], value_set=names).to_numpy(zero_copy_only=False)
    ib = pc.index_in(edges["b"], value_set=names).to_numpy(zero_copy_only=False)
    w = edges["weight"].to_numpy().astype(np.float64)
    n = len(names)
    graph = ig.Graph(n=n, edges=np.column_stack([ia, ib]).tolist(), directed=False)
    graph.es["weight"] = w.tolist()
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Partition([], empty, empty, np.zeros(0), np.zeros(0))
    part = leidenalg.find_partition(graph, leidenalg.CPMVertexPartition, weights="weight",
                                    resolution_parameter=resolution, seed=seed)
    membership = np.asarray(part.membership, dtype=np.int64)
    k = int(membership.max()) + 1
    ca, cb = membership[ia], membership[ib]
    inside = ca == cb
    internal = np.bincount(ca[inside], weights=w[inside], minlength=k).astype(np.float64)
    strength = np.bincount(ia, weights=w, minlength=n) + np.bincount(ib, weights=w, minlength=n)
    total = np.bincount(membership, weights=strength, minlength=k)
    closed = np.divide(2 * internal, total, out=np.zeros(k), where=total > 0)
    size = np.bincount(membership, minlength=k)
    return Partition(names.to_pylist(), membership, size, internal, closed)
