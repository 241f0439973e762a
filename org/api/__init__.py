"""The organisation API: departments and people (read-only; changed in the admin)."""
