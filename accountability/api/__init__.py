"""The REST API of metrics, customer movements, recognitions and scorecards."""
