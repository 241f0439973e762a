"""The project's admin site: models grouped by what people do, plus the executive review pages.

Every `admin.site.register` / `@admin.register` lands here, because `review.apps.CCOAdminConfig`
(in INSTALLED_APPS instead of "django.contrib.admin") names this class as the default site.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, reverse

from org.selectors import user_has_role

# "app_label.model_name" → group. Anything not listed goes to Reminders when its name says so,
# else to DEFAULT_GROUP.
GROUPS = ("Roadmap", "Accountability", "Customers", "Scorecards", "Reminders", "Settings")
DEFAULT_GROUP = "Other"
MODEL_GROUPS = {
    "roadmap.roadmap": "Roadmap",
    "roadmap.initiative": "Roadmap",
    "roadmap.initiativedepartment": "Roadmap",
    "roadmap.task": "Roadmap",
    "roadmap.checkin": "Roadmap",
    "roadmap.slip": "Roadmap",
    "roadmap.slipsettings": "Settings",
    "roadmap.pledge": "Roadmap",
    "roadmap.meeting": "Roadmap",
    "org.department": "Roadmap",
    "customers.metric": "Accountability",
    "customers.target": "Accountability",
    "customers.reading": "Accountability",
    "accountability.recognition": "Accountability",
    "accountability.payplan": "Accountability",
    "accountability.metricconflict": "Accountability",
    "customers.customersegment": "Customers",
    "customers.customermovement": "Customers",
    "customers.lossreason": "Customers",
    "accountability.scorecard": "Scorecards",
    "accountability.scorecardline": "Scorecards",
    "accountability.scorecardsettings": "Scorecards",
    "accountability.message": "Reminders",
    "accountability.remindersettings": "Reminders",
    "integrations.chatchannel": "Reminders",
    "integrations.chatdelivery": "Reminders",
    "integrations.webhooksubscription": "Settings",
    "integrations.webhookdelivery": "Settings",
    "auth.user": "Settings",
    "auth.group": "Settings",
    "org.apikey": "Settings",
    "org.ssomapping": "Settings",
    "org.ssoidentity": "Settings",
    "org.profile": "Settings",
    "axes.accessattempt": "Settings",
    "axes.accessfailurelog": "Settings",
    "axes.accesslog": "Settings",
}


def model_group(*, app_label: str, model_name: str) -> str:
    """The index group of a model: the mapping first, then a name hint, then the default."""
    key = f"{app_label}.{model_name}"
    if key in MODEL_GROUPS:
        return MODEL_GROUPS[key]
    if "reminder" in model_name or app_label == "reminders":
        return "Reminders"
    return DEFAULT_GROUP


class CCOAdminSite(admin.AdminSite):
    site_header = "CCO accountability tracker"
    site_title = "CCO tracker"
    index_title = "Home"
    index_template = "admin/cco_index.html"

    def has_permission(self, request: HttpRequest) -> bool:
        """Staff with one of the four roles: an account with none sees nothing but the page saying so."""
        return super().has_permission(request) and user_has_role(user=request.user)

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        user = request.user
        if request.method == "GET" and user.is_active and user.is_staff and not user_has_role(user=user):
            context = {**self.each_context(request), "title": "No role yet"}
            return TemplateResponse(request, "admin/no_role.html", context, status=403)
        sso = {
            # "Sign in with <provider>" beside the password form, only when single sign-on is configured.
            "sso_name": settings.OIDC_PROVIDER_NAME if settings.OIDC_ENABLED else "",
            "sso_refused": request.GET.get("sso") == "refused",
        }
        return super().login(request, {**sso, **(extra_context or {})})

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict]:
        if app_label is not None:
            return super().get_app_list(request, app_label)
        groups: dict[str, list[dict]] = {}
        for app in self._build_app_dict(request).values():
            for model in app["models"]:
                name = model_group(app_label=app["app_label"], model_name=model["object_name"].lower())
                groups.setdefault(name, []).append(model)
        order = [*GROUPS, DEFAULT_GROUP]
        return [
            {
                "name": name,
                "app_label": name.lower(),
                "app_url": f"{reverse('admin:index', current_app=self.name)}#group-{name.lower()}",
                "has_module_perms": True,
                "models": sorted(groups[name], key=lambda m: m["name"]),
            }
            for name in sorted(groups, key=order.index)
        ]

    def index(self, request: HttpRequest, extra_context: dict | None = None):
        """The index is each person's home page: their work first, then the review pages and models."""
        from org.selectors import user_headed_department_ids, user_is_cco_staff, user_is_executive
        from review.selectors.home import home_get
        from roadmap.selectors import proposals_sent_back, proposals_waiting

        user = request.user
        context = {
            "home": home_get(user=user),
            # Proposals waiting on CCO staff, and those sent back to the one who proposed them.
            "proposals": list(proposals_waiting(user)),
            "sent_back": list(proposals_sent_back(user)),
            "may_import": user_is_cco_staff(user=user) or bool(user_headed_department_ids(user=user)),
            "reviews_first": user_is_cco_staff(user=user) or user_is_executive(user=user),
            **(extra_context or {}),
        }
        return super().index(request, context)

    def get_urls(self) -> list[URLPattern]:
        from review.views import urls as review_urls

        return review_urls.patterns(self) + super().get_urls()
