"""Package data: clf.conduct model v1.6.0."""
