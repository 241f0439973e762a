"""Reminders, escalations and digests: rules (what is due), fan-out (record and enqueue), delivery."""


def reminder_send_now(**kwargs):
    """See `accountability.reminders.now.reminder_send_now` (imported lazily: the models load first)."""
    from accountability.reminders.now import reminder_send_now as send

    return send(**kwargs)
