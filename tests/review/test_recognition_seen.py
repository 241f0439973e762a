"""Recognition that is seen: the department's review page shows its people's thank-yous (the home page
is tests/review/test_home.py, the head's weekly digest tests/accountability/test_reminder_digests.py,
the owner's report tests/review/test_owner_report.py)."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_the_department_page_shows_recognitions_of_its_people_and_tasks(
    client, executive, department, other_department, owner, head
):
    ours = factories.TaskFactory(department=department, title="Refund queue")
    outsider = factories.TaskOwnerFactory(first_name="Olga", last_name="Outside")
    factories.RecognitionFactory(giver=head, recipient=owner, task=ours, note="Calmed the Acme escalation.")
    factories.RecognitionFactory(recipient=outsider, task=ours, note="Lent us a hand.")
    theirs = factories.TaskFactory(department=other_department)
    factories.RecognitionFactory(recipient=other_department.head, task=theirs, note="Billing's own.")
    client.force_login(executive)
    page = client.get(reverse("admin:review_department", args=[department.slug])).content.decode()
    recognitions = page[page.index('id="recognitions"') :]
    assert "Calmed the Acme escalation." in recognitions and "Lent us a hand." in recognitions
    assert "Olga Outside" in recognitions and "for Refund queue" in recognitions
    assert "Billing&#x27;s own." not in page and "Billing's own." not in page
