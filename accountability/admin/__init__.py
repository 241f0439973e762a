"""Admin of the accountability app, one module per area."""
