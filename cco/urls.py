from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from org.api.login import TokenLoginView
from org.sso_views import sso_callback_view, sso_start_view
from review.views.calendar import calendar_feed_view

handler404 = "core.api.not_found"

api_v1 = [
    path("auth/token/", TokenLoginView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's set-up script as a file: no inline script under the CSP.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("org.api.urls")),
    path("", include("roadmap.api.urls")),
    path("", include("customers.api.urls")),
    path("", include("accountability.api.urls")),
    path("", include("integrations.api.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    # A calendar app's subscription: the token is the only credential (docs/calendar-and-sso.md).
    path("calendar/<str:token>.ics", calendar_feed_view, name="calendar-feed"),
    # Single sign-on (a 404 unless OIDC is configured); the names are those mozilla-django-oidc looks up.
    path("oidc/authenticate/", sso_start_view, name="oidc_authentication_init"),
    path("oidc/callback/", sso_callback_view, name="oidc_authentication_callback"),
]

if settings.BENCH_BARE_VIEW:
    from roadmap.api.bench import bare_tasks, raw_tasks

    urlpatterns += [path("bench/bare-tasks/", bare_tasks), path("bench/raw-tasks/", raw_tasks)]
