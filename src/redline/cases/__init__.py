"""Cases that hold up: evidence packages, holds and retention (issue 19)."""
