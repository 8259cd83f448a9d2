"""Package data: clf.conduct model v1.2.0."""
