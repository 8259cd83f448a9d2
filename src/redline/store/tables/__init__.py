"""Tables, one module per aggregate; importing this package registers them all."""

from redline.store.tables import accounts, audit, review  # noqa: F401  (console area)
