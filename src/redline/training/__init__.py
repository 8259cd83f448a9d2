"""Training of the shipped classifiers: data splits, fitting, threshold choice, model cards."""
