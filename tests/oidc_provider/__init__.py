"""A real OpenID Connect provider for the single sign-on tests: a small Django project using
django-oauth-toolkit, run as its own process with its own SQLite database (`server.py`)."""
