"""Specifications read from YAML (with line numbers) that both the rules and the detectors use:
the YAML reader, name suggestions for errors, and the act frames. Below the detectors, so that
a detector may read its own data without importing the rules layer above it."""
