"""The portal's routes, one module per concern (like the console's): filing a report, following one up."""
