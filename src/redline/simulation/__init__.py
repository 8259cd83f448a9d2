"""Simulated organisations for measuring the payment analyzers: a scenario simulator with
ground truth (`payments`), planted cases (`plant`) and precision/recall against that truth
(`evaluate`). Not plug-ins: nothing here is registered or runs in a scan."""
