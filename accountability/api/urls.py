"""Routes of the accountability API (mounted under /api/v1/ by cco/urls.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from accountability.api import follow_through, incentives, owner_report, views

router = SimpleRouter()
router.register("recognitions", views.RecognitionViewSet, basename="recognition")
router.register("scorecards", views.ScorecardViewSet, basename="scorecard")
router.register("reminders", views.MessageViewSet, basename="reminder")
router.register("pay-plans", incentives.PayPlanViewSet, basename="pay-plan")
router.register("metric-conflicts", incentives.MetricConflictViewSet, basename="metric-conflict")

urlpatterns = [
    path("scorecard-settings/", views.ScorecardSettingsView.as_view(), name="scorecard-settings"),
    path(
        "initiatives/<int:pk>/follow-through/",
        follow_through.InitiativeFollowThroughView.as_view(),
        name="initiative-follow-through",
    ),
    path("owners/<int:user_id>/report/", owner_report.OwnerReportView.as_view(), name="owner-report"),
    *router.urls,
]
