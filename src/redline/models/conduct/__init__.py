"""Package data: the clf.conduct model versions (v*/ folders) and active.json."""
