"""Loaded by Python at start-up in the worker processes of the chat worker test (on their PYTHONPATH only).

apprise posts Slack messages to a fixed host (hooks.slack.com); a worker started with
TEST_SLACK_WEBHOOK_URL posts them to the test's local Slack peer instead.
"""

import os

if os.environ.get("TEST_SLACK_WEBHOOK_URL"):
    from apprise.plugins.slack import NotifySlack

    NotifySlack.webhook_url = os.environ["TEST_SLACK_WEBHOOK_URL"]
