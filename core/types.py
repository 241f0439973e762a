"""Types every floor shares."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

# A request's user: signed in, or not.
UserLike = AbstractBaseUser | AnonymousUser
