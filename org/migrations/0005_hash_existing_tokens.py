"""Existing API tokens become hashed API keys that keep working, and the clear tokens are deleted.

Each token of DRF's authtoken table turns into an `ApiKey` with the SHA-256 digest of its
value, named "Key from before hashing", expiring API_KEY_DAYS after this migration, so that
integrations keep working until then (or until their owner revokes it) and have that long
to move to a new key. The clear values are then deleted: nothing can show them again.
Going back cannot restore the clear values, so it leaves the keys as they are.
"""

import datetime as dt
import hashlib

from django.conf import settings
from django.db import migrations
from django.utils import timezone

MIGRATED_NAME = "Key from before hashing"


def hash_tokens(apps, schema_editor):
    Token = apps.get_model("authtoken", "Token")
    ApiKey = apps.get_model("org", "ApiKey")
    expires_at = timezone.now() + dt.timedelta(days=settings.API_KEY_DAYS)
    for token in Token.objects.all().iterator():
        ApiKey.objects.create(
            user_id=token.user_id,
            name=MIGRATED_NAME,
            prefix=token.key[:8],
            digest=hashlib.sha256(token.key.encode()).hexdigest(),
            expires_at=expires_at,
        )
    Token.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0004_api_keys"),
        ("authtoken", "0004_alter_tokenproxy_options"),
    ]

    operations = [migrations.RunPython(hash_tokens, migrations.RunPython.noop)]
