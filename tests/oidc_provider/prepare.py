"""Set up the test provider's database: `python -m tests.oidc_provider.prepare < spec.json`.

The spec names the client (id, secret, redirect URI) and the people (username, password, email,
names, groups); prints {username: subject} as JSON, the `sub` each person will have.
"""

import json
import os
import sys

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.oidc_provider.settings")
    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from oauth2_provider.models import Application

    spec = json.load(sys.stdin)
    call_command("migrate", verbosity=0)
    subjects = {}
    for person in spec["people"]:
        user = User.objects.create_user(
            username=person["username"],
            password=person["password"],
            email=person["email"],
            first_name=person.get("given_name", ""),
            last_name=person.get("family_name", ""),
        )
        user.groups.set([Group.objects.get_or_create(name=name)[0] for name in person.get("groups", [])])
        subjects[user.username] = str(user.pk)
    client = spec["client"]
    Application.objects.create(
        name="CCO tracker",
        client_id=client["id"],
        client_secret=client["secret"],  # hashed on save
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=client["redirect_uri"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    json.dump(subjects, sys.stdout)


if __name__ == "__main__":
    main()
