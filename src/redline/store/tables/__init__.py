"""Tables, one module per aggregate; importing this package registers them all.

One import line per area, kept apart so that parallel edits never collide.
"""

# isort: off
from redline.store.tables import findings, messages, org, payments  # noqa: F401  (foundation)
from redline.store.tables import accounts, audit, review  # noqa: F401  (console area)
from redline.store.tables import scan_state  # noqa: F401  (rules area)
from redline.store.tables import intake  # noqa: F401  (portal area)
from redline.store.tables import quarantine  # noqa: F401  (bundle quarantine)
from redline.store.tables import kept_forms, sessions  # noqa: F401  (security: sessions, kept forms)
from redline.store.tables import holds, report_links  # noqa: F401  (cases area)
from redline.store.tables import live  # noqa: F401  (live monitoring)
# isort: on
