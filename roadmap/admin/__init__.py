"""Admin of the roadmap app, one module per area; importing them registers the admin classes."""

from roadmap.admin import check_ins, initiatives, pledges, roadmaps, slips, tasks

__all__ = ["check_ins", "initiatives", "pledges", "roadmaps", "slips", "tasks"]
