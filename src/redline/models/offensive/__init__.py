"""Package data: the clf.offensive model (model.npz, model.json, MODEL.md, pr_curve.png)."""
