"""Routes of the accountability API (mounted under /api/v1/ by cco/urls.py)."""

from rest_framework.routers import SimpleRouter

from accountability.api import views

router = SimpleRouter()
router.register("recognitions", views.RecognitionViewSet, basename="recognition")
router.register("scorecards", views.ScorecardViewSet, basename="scorecard")
router.register("reminders", views.MessageViewSet, basename="reminder")

urlpatterns = router.urls
