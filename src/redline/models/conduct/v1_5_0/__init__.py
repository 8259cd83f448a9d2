"""Package data: clf.conduct model v1.5.0."""
