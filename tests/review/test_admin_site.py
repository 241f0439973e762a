"""The project's admin site: its header, models grouped by what people do, review links."""

import pytest
from django.contrib import admin
from django.urls import reverse

from review.admin_site import DEFAULT_GROUP, CCOAdminSite, model_group

pytestmark = pytest.mark.django_db


def test_every_registration_lands_on_the_cco_site():
    assert isinstance(admin.site, CCOAdminSite)
    assert admin.site.site_header == "CCO accountability tracker"


@pytest.mark.parametrize(
    ("app_label", "model_name", "group"),
    [
        ("roadmap", "task", "Roadmap"),
        ("org", "department", "Roadmap"),
        ("customers", "reading", "Accountability"),
        ("accountability", "recognition", "Accountability"),
        ("customers", "customermovement", "Customers"),
        ("customers", "lossreason", "Customers"),
        ("accountability", "scorecardsettings", "Scorecards"),
        ("accountability", "remindermessage", "Reminders"),
        ("accountability", "message", "Reminders"),
        ("auth", "user", "Settings"),
        ("org", "apikey", "Settings"),
        ("org", "profile", "Settings"),
        ("somewhere", "thing", DEFAULT_GROUP),
    ],
)
def test_models_are_grouped_by_what_people_do(app_label, model_name, group):
    assert model_group(app_label=app_label, model_name=model_name) == group


def test_app_list_groups_registered_models_in_order(rf, cco_staff, monkeypatch):
    def model(name):
        return {"name": name + "s", "object_name": name}

    apps = {
        "roadmap": {"app_label": "roadmap", "models": [model("Task")]},
        "org": {"app_label": "org", "models": [model("Profile"), model("Department")]},
        "auth": {"app_label": "auth", "models": [model("Group")]},
        "elsewhere": {"app_label": "elsewhere", "models": [model("Gadget")]},
        "customers": {"app_label": "customers", "models": [model("CustomerMovement"), model("Reading")]},
    }
    monkeypatch.setattr(admin.site, "_build_app_dict", lambda request, label=None: apps)
    groups = admin.site.get_app_list(rf.get("/"))
    assert [(g["name"], [m["object_name"] for m in g["models"]]) for g in groups] == [
        ("Roadmap", ["Department", "Task"]),
        ("Accountability", ["Reading"]),
        ("Customers", ["CustomerMovement"]),
        ("Settings", ["Group", "Profile"]),
        (DEFAULT_GROUP, ["Gadget"]),
    ]


def test_index_has_the_header_and_the_review_links(client, executive):
    client.force_login(executive)
    page = client.get(reverse("admin:index")).content.decode()
    for name in ("review_dashboard", "review_roadmap", "review_compare", "review_slips"):
        assert reverse(f"admin:{name}") in page
    assert "CCO accountability tracker" in page


@pytest.mark.parametrize(
    ("role", "shown"), [("cco_staff", True), ("head", True), ("executive", False), ("owner", False)]
)
def test_the_import_link_is_shown_only_to_those_who_may_import(client, request, role, shown):
    client.force_login(request.getfixturevalue(role))
    page = client.get(reverse("admin:index")).content.decode()
    assert (reverse("admin:review_import") in page) is shown
