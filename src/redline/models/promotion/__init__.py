"""Package data: the clf.promotion model (model.npz, model.json, MODEL.md, pr_curve.png)."""
