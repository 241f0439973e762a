"""One chat post through apprise, with the service's refusal kept as the error.

Apprise answers True or False; why it failed (an HTTP 429, a 500, a refused connection) is in
its log, which is captured here and recorded on the delivery. The URL, which holds the
channel's token, is never logged: only the service's name is.
"""

from __future__ import annotations

MAX_BODY = 3500  # below the smallest limit of the services (Slack cuts at about 4,000 characters)


class ChatSendError(Exception):
    """The service did not take the post; tried again with backoff, then recorded as failed."""


def chat_post(*, url: str, title: str, body: str) -> None:
    """Post to one chat URL; raises ChatSendError with the service's answer when it is refused."""
    import apprise  # here, not at start-up: loading its plugins takes a moment, and only chat batches need it

    notifier = apprise.Apprise()
    if not notifier.add(url):
        raise ChatSendError("The channel's URL is not one apprise can send to.")
    service = notifier[0].service_name
    with apprise.LogCapture(level=apprise.logging.WARNING) as log:
        ok = notifier.notify(title=title, body=body[:MAX_BODY])
    if not ok:
        answer = " ".join(line.strip() for line in log.getvalue().splitlines() if line.strip())[-500:]
        raise ChatSendError(f"{service} refused the post: {answer or 'no answer'}")
