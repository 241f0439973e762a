"""The REST API of the roadmap: departments, users, roadmaps, initiatives, tasks, check-ins."""
