"""The project's admin site: its header, models grouped by what people do, review links."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from cco.admin_site import DEFAULT_GROUP, CCOAdminSite, model_group
from roadmap.models import Department, Task

pytestmark = pytest.mark.django_db


def test_every_registration_lands_on_the_cco_site():
    assert isinstance(admin.site, CCOAdminSite)
    assert admin.site.site_header == "CCO accountability tracker"


@pytest.mark.parametrize(
    ("app_label", "model_name", "group"),
    [
        ("roadmap", "task", "Roadmap"),
        ("roadmap", "department", "Roadmap"),
        ("accountability", "reading", "Accountability"),
        ("accountability", "recognition", "Accountability"),
        ("accountability", "customermovement", "Customers"),
        ("accountability", "lossreason", "Customers"),
        ("accountability", "scorecardsettings", "Scorecards"),
        ("accountability", "remindermessage", "Reminders"),
        ("auth", "user", "Settings"),
        ("authtoken", "tokenproxy", "Settings"),
        ("roadmap", "profile", "Settings"),
        ("somewhere", "thing", DEFAULT_GROUP),
    ],
)
def test_models_are_grouped_by_what_people_do(app_label, model_name, group):
    assert model_group(app_label=app_label, model_name=model_name) == group


def test_index_shows_groups_in_order_and_review_links(client, cco_staff, monkeypatch):
    site = CCOAdminSite(name="admin")  # same URL names as the real site, with known registrations
    for model in (Task, Department, Group):
        site.register(model)
    monkeypatch.setattr(admin, "site", site)
    request = client.get(reverse("admin:index")).wsgi_request  # anonymous request for its shape
    request.user = cco_staff
    groups = site.get_app_list(request)
    assert [g["name"] for g in groups] == ["Roadmap", "Settings"]
    assert [m["object_name"] for m in groups[0]["models"]] == ["Department", "Task"]
    client.force_login(cco_staff)
    page = client.get(reverse("admin:index")).content.decode()
    for name in ("review_dashboard", "review_roadmap", "review_import", "review_compare"):
        assert reverse(f"admin:{name}") in page
    assert "CCO accountability tracker" in page
