"""Backups that restore: a consistent copy of the database taken while web and worker write,
with a manifest of every table's row count and checksum that the restore checks against.
"""
