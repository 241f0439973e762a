"""The task and meeting lists filter by initiative, department and owner through a search box, not a link each.

The box asks the list's own JSON view, which offers only what the user's list refers to.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.admin_world import login, outcome

pytestmark = pytest.mark.django_db

TASKS = "admin:roadmap_task_changelist"
SEARCH = "admin:roadmap_task_filter_autocomplete"


def _found(client, field_name: str, term: str = "", page: int = 1) -> dict:
    response = client.get(reverse(SEARCH), {"field_name": field_name, "term": term, "page": page})
    assert response.status_code == 200, response.content
    return response.json()


def test_the_task_list_shows_a_search_box_instead_of_a_link_per_initiative(client, world):
    many = [factories.InitiativeFactory(title=f"Priority {n:02}") for n in range(30)]
    for initiative in many:
        factories.TaskFactory(initiative=initiative, department=world.department)
    client.force_login(world.users["executive"])
    page = client.get(reverse(TASKS)).content.decode()
    assert 'id="autocomplete-filter-initiative"' in page
    assert 'id="autocomplete-filter-owner"' in page and 'id="autocomplete-filter-department"' in page
    assert "initiative__id__exact=" not in page  # no link per initiative
    assert "core/autocomplete_filter.js" in page and "admin/js/autocomplete.js" in page


def test_links_made_for_the_plain_filter_still_filter_and_show_the_choice(client, world):
    client.force_login(world.users["executive"])
    url = reverse(TASKS) + f"?initiative__id__exact={world.initiative.pk}&department__id__exact={world.department.pk}"
    response = client.get(url)
    listed = {t.title for t in response.context["cl"].result_list}
    assert listed == {"Task D", "Task D2"}
    page = response.content.decode()
    assert f'<option value="{world.initiative.pk}" selected>Faster onboarding</option>' in page
    assert f'<option value="{world.department.pk}" selected>Service</option>' in page


def test_the_search_offers_only_what_the_users_list_refers_to(client, world):
    factories.InitiativeFactory(title="Faster billing")  # no task: not offered
    client.force_login(world.users["head"])
    owners = _found(client, "owner")
    assert sorted(r["text"] for r in owners["results"]) == ["colleague", "owner"]  # D's owners, not E's
    client.force_login(world.users["other_head"])
    assert [r["text"] for r in _found(client, "owner")["results"]] == ["other_owner"]
    client.force_login(world.users["executive"])
    assert sorted(r["text"] for r in _found(client, "owner")["results"]) == ["colleague", "other_owner", "owner"]
    assert [r["text"] for r in _found(client, "initiative", "faster")["results"]] == ["Faster onboarding"]
    assert _found(client, "department", "bill")["results"] == [
        {"id": str(world.other_department.pk), "text": "Billing"}
    ]


def test_the_search_answers_twenty_at_a_time(client, world):
    for n in range(25):
        factories.TaskFactory(
            initiative=factories.InitiativeFactory(title=f"Loyalty {n:02}"), department=world.department
        )
    client.force_login(world.users["cco"])
    first, second = _found(client, "initiative", "loyalty"), _found(client, "initiative", "loyalty", page=2)
    assert (len(first["results"]), first["pagination"]["more"]) == (20, True)
    assert (len(second["results"]), second["pagination"]["more"]) == (5, False)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("cco", "200"),
        ("head", "200"),
        ("other_head", "200"),
        ("owner", "200"),
        ("executive", "200"),
        ("anonymous", "login"),
    ],
)
def test_every_role_may_search_and_anonymous_is_sent_to_login(world, role, expected):
    client = Client()
    login(client, world.users[role])
    assert outcome(client.get(reverse(SEARCH), {"field_name": "initiative"})) == expected


def test_an_account_with_no_role_may_not_search(world):
    client = Client()
    client.force_login(factories.UserFactory(username="nobody"))
    response = client.get(reverse(SEARCH), {"field_name": "owner"}, follow=True)
    assert response.status_code == 403
    page = response.content.decode()
    assert "Your account has no role yet" in page and '"results"' not in page and "Faster onboarding" not in page


@pytest.mark.parametrize("field_name", ["", "title", "depends_on", "initiative__roadmap", "status"])
def test_a_field_without_a_search_filter_is_not_found(client, world, field_name):
    client.force_login(world.users["cco"])
    assert client.get(reverse(SEARCH), {"field_name": field_name}).status_code == 404


def test_the_meeting_list_searches_its_initiatives(client, world):
    factories.MeetingFactory(initiative=world.initiative)
    client.force_login(world.users["executive"])
    page = client.get(reverse("admin:roadmap_meeting_changelist")).content.decode()
    assert 'id="autocomplete-filter-initiative"' in page
    response = client.get(reverse("admin:roadmap_meeting_filter_autocomplete"), {"field_name": "initiative"})
    assert response.json()["results"] == [{"id": str(world.initiative.pk), "text": "Faster onboarding"}]
