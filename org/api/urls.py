"""Routes of the organisation API (mounted under /api/v1/ by cco/urls.py)."""

from rest_framework.routers import SimpleRouter

from org.api import views
from org.api.keys import ApiKeyViewSet

router = SimpleRouter()
router.register("departments", views.DepartmentViewSet, basename="department")
router.register("users", views.UserViewSet, basename="user")
router.register("auth/keys", ApiKeyViewSet, basename="api-key")

urlpatterns = router.urls
