"""The scorecard engine's parts; `accountability.scorecard_engine` is the public door."""
