"""Routes of the accountability API (mounted under /api/v1/ by cco/urls.py)."""

from rest_framework.routers import SimpleRouter

from accountability.api import views

router = SimpleRouter()
router.register("metrics", views.MetricViewSet, basename="metric")
router.register("targets", views.TargetViewSet, basename="target")
router.register("readings", views.ReadingViewSet, basename="reading")
router.register("segments", views.CustomerSegmentViewSet, basename="segment")
router.register("movements", views.CustomerMovementViewSet, basename="movement")
router.register("loss-reasons", views.LossReasonViewSet, basename="loss-reason")
router.register("recognitions", views.RecognitionViewSet, basename="recognition")
router.register("scorecards", views.ScorecardViewSet, basename="scorecard")
router.register("reminders", views.MessageViewSet, basename="reminder")

urlpatterns = router.urls
