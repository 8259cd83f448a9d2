"""The second stage of clf.offensive (1.4.0 on): a character CNN asked only where the n-gram
model is unsure.

The n-gram score decides alone outside a band `[low, high]`; inside it, the score is the mean
of the n-gram and the CNN probabilities. The CNN costs far more per message than a gather-and-
sum, and the band keeps it to the few messages whose answer it can change. A model whose
`model.json` has no `cascade` entry (1.3.0 and before) is the n-gram model alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from redline.detectors.classifiers.char_cnn import CharCnn, CnnShape

# the CNN's arrays in model.npz, beside the n-gram model's `weights` and `bias`: `cnn_graph`
# (the serialised ONNX graph as uint8) and `cnn_vocab` (code points, ids 2.. in this order)
PREFIX = "cnn_"


class CnnStage:
    """Band and CNN; pickles as its arrays (an onnxruntime session does not pickle)."""

    def __init__(self, arrays: Mapping[str, npt.NDArray[Any]], shape: CnnShape, band: tuple[float, float]) -> None:
        self.arrays = dict(arrays)
        self.shape = shape
        self.band = band
        self._cnn: CharCnn | None = None

    @classmethod
    def from_files(cls, meta: Mapping[str, Any], arrays: Mapping[str, npt.NDArray[Any]]) -> CnnStage | None:
        """The stage a model's files describe, or None for an n-gram-only model."""
        spec = meta.get("cascade")
        if not spec:
            return None
        mine = {k.removeprefix(PREFIX): v for k, v in arrays.items() if k.startswith(PREFIX)}
        low, high = (float(x) for x in spec["band"])
        return cls(mine, CnnShape.from_dict(spec["shape"]), (low, high))

    def __getstate__(self) -> dict[str, Any]:
        return {"arrays": self.arrays, "shape": self.shape, "band": self.band}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.arrays, self.shape, self.band = state["arrays"], state["shape"], state["band"]
        self._cnn = None

    def rescore(self, texts: Sequence[str], first: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """`first` (the n-gram scores) with the band's rows replaced by the mean with the CNN."""
        low, high = self.band
        rows = np.flatnonzero((first >= low) & (first <= high))
        if not len(rows):
            return first
        if self._cnn is None:  # built on first use: most batches of work chat never get here
            self._cnn = CharCnn(self.arrays["graph"].tobytes(), self.arrays["vocab"], self.shape)
        out = first.copy()
        out[rows] = (first[rows] + self._cnn.scores([texts[i] for i in rows.tolist()])) / 2
        return out
