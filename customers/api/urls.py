"""Routes of the customer-metrics API (mounted under /api/v1/ by cco/urls.py)."""

from rest_framework.routers import SimpleRouter

from customers.api import views

router = SimpleRouter()
router.register("metrics", views.MetricViewSet, basename="metric")
router.register("targets", views.TargetViewSet, basename="target")
router.register("readings", views.ReadingViewSet, basename="reading")
router.register("segments", views.CustomerSegmentViewSet, basename="segment")
router.register("movements", views.CustomerMovementViewSet, basename="movement")
router.register("loss-reasons", views.LossReasonViewSet, basename="loss-reason")

urlpatterns = router.urls
