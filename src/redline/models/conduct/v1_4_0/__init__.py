"""Package data: clf.conduct model v1.4.0."""
