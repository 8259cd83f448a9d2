"""Package data: clf.conduct model v1.0.0."""
