"""Resending messages that failed: CCO staff put them back to pending, and delivery sends them once.

Only a `failed` message can be resent (the mail server never accepted it), and the change is
one conditional UPDATE, so a second click, or two people clicking at once, resends nothing
more. The attempts start again from zero, and the batch is published when the change commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accountability.models import Message
from accountability.reminders.fanout import messages_publish
from accountability.reminders.rules import reminder_settings_get


@dataclass(frozen=True)
class ResendResult:
    resent: int
    not_failed: int


@transaction.atomic
def messages_resend(*, message_ids: list[int]) -> ResendResult:
    now = timezone.now()
    failed = Message.objects.filter(pk__in=message_ids, status=Message.Status.FAILED)
    ids = list(failed.select_for_update().order_by("pk").values_list("pk", flat=True))
    Message.objects.filter(pk__in=ids, status=Message.Status.FAILED).update(
        status=Message.Status.PENDING, attempts=0, enqueued_at=now, claimed_at=None, claim_token=None
    )
    size = reminder_settings_get().batch_size
    batches = [ids[i : i + size] for i in range(0, len(ids), size)]
    transaction.on_commit(lambda: messages_publish(batches))
    return ResendResult(resent=len(ids), not_failed=len(set(message_ids)) - len(ids))
