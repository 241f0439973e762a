from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from org.api.login import TokenLoginView

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
]

if settings.BENCH_BARE_VIEW:
    from roadmap.api.bench import bare_tasks, raw_tasks

    urlpatterns += [path("bench/bare-tasks/", bare_tasks), path("bench/raw-tasks/", raw_tasks)]
