"""Routes of the roadmap API (mounted under /api/v1/ by cco/urls.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from roadmap.api import budget, slips, views

router = SimpleRouter()
router.register("roadmaps", views.RoadmapViewSet, basename="roadmap")
router.register("initiatives", views.InitiativeViewSet, basename="initiative")
router.register("tasks", views.TaskViewSet, basename="task")
router.register("budget-lines", views.BudgetLineViewSet, basename="budget-line")
router.register("pledges", views.PledgeViewSet, basename="pledge")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("check-ins", views.CheckInViewSet, basename="check-in")
router.register("slips", slips.SlipViewSet, basename="slip")
router.register("top-loss-reasons", views.TopLossReasonViewSet, basename="top-loss-reason")

urlpatterns = [
    path("budget/", budget.BudgetView.as_view(), name="budget"),
    path("budget/duplicates/", budget.BudgetDuplicatesView.as_view(), name="budget-duplicates"),
    *router.urls,
]
