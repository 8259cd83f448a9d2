"""Package data: the pii.person_name CRF (model.npz, model.json, MODEL.md, pr_curve.png); CC BY-SA 3.0."""
