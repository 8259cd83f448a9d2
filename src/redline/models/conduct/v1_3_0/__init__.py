"""Package data: clf.conduct model v1.3.0."""
