"""Admin of the roadmap app, one module per area; importing them registers the admin classes."""

from roadmap.admin import initiatives, organisation, tasks

__all__ = ["initiatives", "organisation", "tasks"]
