"""Package data: clf.conduct model v1.1.0."""
