"""Routes of the integrations API (mounted under /api/v1/ by cco/urls.py)."""

from rest_framework.routers import SimpleRouter

from integrations.api import views

router = SimpleRouter()
router.register("webhook-subscriptions", views.WebhookSubscriptionViewSet, basename="webhook-subscription")

urlpatterns = router.urls
