"""A sent-journal URL that cannot work stops `manage.py check` (and so migrate and runserver) with its reason."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError


@pytest.mark.parametrize("url", ["ftp://journal.example.com/", "file://relative/folder", "sent-journal"])
def test_a_bad_journal_url_is_a_system_check_error_naming_the_setting(settings, url):
    settings.REMINDERS_JOURNAL_URL = url
    with pytest.raises(SystemCheckError, match="REMINDERS_JOURNAL_URL must be database://, redis://"):
        call_command("check")


@pytest.mark.parametrize(
    "url", ["database://", "redis://127.0.0.1:6379/0", "rediss://cache.example.com:6380/1", "file:///srv/cco/j"]
)
def test_redis_and_absolute_folder_urls_pass_the_check(settings, url):
    settings.REMINDERS_JOURNAL_URL = url
    call_command("check")
