"""A small character CNN served by onnxruntime: ids → embeddings → convolutions → max-pool → p.

The graph is written here from plain numpy arrays (no torch at run time, no pickles): the
training recipe stores the arrays in the model's `.npz` and this module builds the same ONNX
graph from them, so a test can build a tiny model from made-up weights and check the runtime
against a numpy forward pass.

Characters map to ids through a sorted array of code points (id 0 pads, 1 is any character
the training rows did not hold often enough). Messages are read up to `max_len` characters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt

PAD: Final = 0
UNKNOWN: Final = 1
OPSET: Final = 17  # ReduceMax still takes `axes` as an attribute here


@dataclass(frozen=True, slots=True)
class CnnShape:
    """Sizes of the network (also what model.json records)."""

    vocab_size: int
    dim: int
    filters: int
    widths: tuple[int, ...]
    max_len: int

    def as_dict(self) -> dict[str, Any]:
        return {"vocab_size": self.vocab_size, "dim": self.dim, "filters": self.filters,
                "widths": list(self.widths), "max_len": self.max_len}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> CnnShape:
        return cls(int(d["vocab_size"]), int(d["dim"]), int(d["filters"]),
                   tuple(int(w) for w in d["widths"]), int(d["max_len"]))


def encode(texts: Sequence[str], vocab: npt.NDArray[np.int64], length: int,
           max_len: int | None = None) -> npt.NDArray[np.int64]:
    """(len(texts), length) ids; each text cut at `max_len` (default `length`) characters."""
    cut = length if max_len is None else max_len
    out = np.full((len(texts), length), PAD, dtype=np.int64)
    for row, text in enumerate(texts):
        if not text:
            continue
        points = np.frombuffer(text[:cut].encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        at = np.searchsorted(vocab, points)
        at = np.minimum(at, max(len(vocab) - 1, 0))
        found = vocab[at] == points if len(vocab) else np.zeros(len(points), dtype=bool)
        out[row, :len(points)] = np.where(found, at + 2, UNKNOWN)
    return out


def pad_length(texts: Sequence[str], shape: CnnShape) -> int:
    """Columns a batch needs: room for one all-padding window past its longest text.

    Such a window gives relu(bias) whatever the padding length, so a short batch scores as the
    training batches did (always `max_len` wide) at a fraction of the cost.
    """
    longest = max((len(t) for t in texts), default=0)
    return min(shape.max_len, longest + max(shape.widths))


def build_onnx(arrays: Mapping[str, npt.NDArray[Any]], shape: CnnShape) -> bytes:
    """The serialised ONNX graph: input `ids` (N, L) int64 → output `p` (N,) float32."""
    from onnx import TensorProto, helper, numpy_helper

    inits = [numpy_helper.from_array(np.asarray(arrays["embed"], dtype=np.float32), "embed"),
             numpy_helper.from_array(np.asarray(arrays["out_w"], dtype=np.float32).reshape(-1, 1), "out_w"),
             numpy_helper.from_array(np.asarray(arrays["out_b"], dtype=np.float32), "out_b")]
    nodes = [helper.make_node("Gather", ["embed", "ids"], ["e"]),
             helper.make_node("Transpose", ["e"], ["et"], perm=[0, 2, 1])]
    pooled = []
    for width in shape.widths:
        w, b = f"conv{width}_w", f"conv{width}_b"
        inits += [numpy_helper.from_array(np.asarray(arrays[w], dtype=np.float32), w),
                  numpy_helper.from_array(np.asarray(arrays[b], dtype=np.float32), b)]
        nodes += [helper.make_node("Conv", ["et", w, b], [f"c{width}"], kernel_shape=[width]),
                  helper.make_node("Relu", [f"c{width}"], [f"r{width}"]),
                  helper.make_node("ReduceMax", [f"r{width}"], [f"m{width}"], axes=[2], keepdims=0)]
        pooled.append(f"m{width}")
    nodes += [helper.make_node("Concat", pooled, ["h"], axis=1),
              helper.make_node("MatMul", ["h", "out_w"], ["z0"]),
              helper.make_node("Add", ["z0", "out_b"], ["z"]),
              helper.make_node("Sigmoid", ["z"], ["p1"]),
              helper.make_node("Flatten", ["p1"], ["p2"], axis=0),
              helper.make_node("Squeeze", ["p2", "zero"], ["p"])]
    inits.append(numpy_helper.from_array(np.array([0], dtype=np.int64), "zero"))
    graph = helper.make_graph(
        nodes, "char_cnn", [helper.make_tensor_value_info("ids", TensorProto.INT64, ["n", "l"])],
        [helper.make_tensor_value_info("p", TensorProto.FLOAT, ["n"])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="redline")
    model.ir_version = 8  # readable by every onnxruntime since 1.10
    return bytes(model.SerializeToString())


def forward_numpy(arrays: Mapping[str, npt.NDArray[Any]], shape: CnnShape,
                  ids: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    """The same network in numpy (slow; the reference that tests hold the graph to)."""
    e = np.asarray(arrays["embed"], dtype=np.float64)[ids]  # (n, L, dim)
    pooled = []
    for width in shape.widths:
        w = np.asarray(arrays[f"conv{width}_w"], dtype=np.float64)  # (filters, dim, width)
        b = np.asarray(arrays[f"conv{width}_b"], dtype=np.float64)
        windows = np.stack([e[:, k:e.shape[1] - width + 1 + k, :] for k in range(width)], axis=3)
        conv = np.einsum("nldk,fdk->nlf", windows, w) + b
        pooled.append(np.maximum(conv, 0).max(axis=1))
    z = np.concatenate(pooled, axis=1) @ np.asarray(arrays["out_w"], dtype=np.float64) + float(arrays["out_b"][0])
    out: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-z))
    return out


def graph_array(onnx_bytes: bytes) -> npt.NDArray[np.uint8]:
    """The serialised graph as a plain uint8 array, to sit in a model's `.npz`."""
    return np.frombuffer(onnx_bytes, dtype=np.uint8).copy()


class CharCnn:
    """An onnxruntime session over the graph, single-threaded (the scan engine owns the cores).

    Serving needs onnxruntime only: the graph comes serialised (built at training time), the
    vocabulary as an array.
    """

    def __init__(self, graph: bytes, vocab: npt.NDArray[np.int64], shape: CnnShape) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.shape = shape
        self.vocab = np.asarray(vocab, dtype=np.int64)
        self._session = ort.InferenceSession(graph, options, providers=["CPUExecutionProvider"])

    def scores(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """Probability of the positive class per text (empty batch → empty array)."""
        if not texts:
            return np.zeros(0, dtype=np.float64)
        ids = encode(texts, self.vocab, pad_length(texts, self.shape), self.shape.max_len)
        (p,) = self._session.run(["p"], {"ids": ids})
        return np.asarray(p, dtype=np.float64)
