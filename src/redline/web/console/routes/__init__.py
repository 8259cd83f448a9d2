"""The console's routes, one module per area (auth, alerts, cases, admin pages)."""
