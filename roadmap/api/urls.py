"""Routes of the roadmap API (mounted under /api/v1/ by cco/urls.py)."""

from rest_framework.routers import SimpleRouter

from roadmap.api import views

router = SimpleRouter()
router.register("roadmaps", views.RoadmapViewSet, basename="roadmap")
router.register("initiatives", views.InitiativeViewSet, basename="initiative")
router.register("tasks", views.TaskViewSet, basename="task")
router.register("check-ins", views.CheckInViewSet, basename="check-in")
router.register("top-loss-reasons", views.TopLossReasonViewSet, basename="top-loss-reason")

urlpatterns = router.urls
