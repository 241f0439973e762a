"""Routes of the organisation API (mounted under /api/v1/ by cco/urls.py)."""

from rest_framework.routers import SimpleRouter

from org.api import views

router = SimpleRouter()
router.register("departments", views.DepartmentViewSet, basename="department")
router.register("users", views.UserViewSet, basename="user")

urlpatterns = router.urls
