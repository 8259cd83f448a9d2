"""The pipeline as a library: what the CLI (`redline scan`), the console's import and the live
watcher (`redline watch`) all call to screen a store and raise alerts.

`screen.scan_store` screens the pending messages and runs the record analyses (over the whole
store, or only over the people, pairs and groups a set of new rows concerns: `concerns`);
`alerting.refresh_alerts` groups new findings into alerts, one builder at a time;
`process.after_load` is both, for rows just loaded.
"""
