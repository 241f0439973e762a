"""Settings for the test suite: the normal settings read in development mode.

Development mode keeps HTTPS redirects and secure cookies off, so the test client speaks
plain HTTP; Django's test runner turns DEBUG itself off while tests run.
"""

import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("EMAIL_URL", "consolemail://")
# The API's memory of keys (org/auth_cache.py) is off, so that a test's query counts never depend
# on what it changed before; tests/api/test_auth_cache.py and the permission matrix turn it on.
os.environ.setdefault("API_AUTH_CACHE_SECONDS", "0")

from cco.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests
