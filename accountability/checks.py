"""System checks: settings that would otherwise only fail inside a worker, at the first delivery."""

from django.conf import settings
from django.core.checks import Error, register

from accountability.reminders.journal import url_problem


@register()
def reminders_journal_url(app_configs, **kwargs) -> list[Error]:
    problem = url_problem(settings.REMINDERS_JOURNAL_URL)
    return [Error(problem, id="accountability.E001")] if problem else []
