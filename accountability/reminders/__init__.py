"""Reminders, escalations and digests: rules (what is due), fan-out (record and enqueue), delivery."""
