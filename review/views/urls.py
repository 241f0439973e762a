"""URLs of the review pages, mounted under the admin by `CCOAdminSite.get_urls`."""

from __future__ import annotations

from functools import partial

from django.urls import URLPattern, path

from review.views import (
    budget,
    calendar,
    dashboard,
    exports,
    imports,
    meeting_pack,
    notifications,
    owner_report,
    participation,
    roadmap,
    slips,
)


def patterns(site) -> list[URLPattern]:
    def view(func, **kwargs):
        return site.admin_view(partial(func, site=site), **kwargs)

    return [
        path("review/", view(dashboard.dashboard_view), name="review_dashboard"),
        path("calendar/", view(calendar.calendar_link_view), name="review_calendar"),
        path("review/compare/", view(dashboard.compare_view), name="review_compare"),
        path("review/department/<slug:slug>/", view(dashboard.department_view), name="review_department"),
        path("review/line/<int:line_id>/", view(dashboard.line_view), name="review_line"),
        path("review/recompute/", view(dashboard.recompute_view), name="review_recompute"),
        path("review/slips/", view(slips.slips_view), name="review_slips"),
        path("notifications/", view(notifications.notifications_view), name="review_notifications"),
        path("notifications/read/", view(notifications.notifications_read_view), name="review_notifications_read"),
        path("notifications/<int:message_id>/", view(notifications.notification_view), name="review_notification"),
        path("review/slips/<int:slip_id>/decide/", view(slips.slip_decide_view), name="review_slip_decide"),
        path("review/roadmap/", view(roadmap.grid_view), name="review_roadmap"),
        path("review/initiative/<int:initiative_id>/timeline/", view(roadmap.timeline_view), name="review_timeline"),
        path("review/export/scorecard.<str:fmt>", view(exports.scorecard_export_view), name="review_scorecard_export"),
        path("review/export/tasks.<str:fmt>", view(exports.tasks_export_view), name="review_tasks_export"),
        path("review/import/", view(imports.import_view), name="review_import"),
        path("review/budget/", view(budget.budget_view), name="review_budget"),
        path("review/budget.csv", view(budget.budget_export_view), name="review_budget_export"),
        path("review/budget/pool/", view(budget.budget_pool_view), name="review_budget_pool"),
        path(
            "review/initiative/<int:initiative_id>/participation/",
            view(participation.participation_view),
            name="review_participation",
        ),
        path("review/meeting-pack/", view(meeting_pack.company_pack_view), name="review_meeting_pack"),
        path("review/meeting-pack.pdf", view(meeting_pack.company_pack_pdf_view), name="review_meeting_pack_pdf"),
        path(
            "review/meeting-pack/<slug:slug>/",
            view(meeting_pack.department_pack_view),
            name="review_meeting_pack_department",
        ),
        path(
            "review/meeting-pack/<slug:slug>.pdf",
            view(meeting_pack.department_pack_pdf_view),
            name="review_meeting_pack_department_pdf",
        ),
        path("review/owner/<int:user_id>/", view(owner_report.owner_report_view), name="review_owner_report"),
        path(
            "review/owner/<int:user_id>/report.<str:fmt>",
            view(owner_report.owner_report_export_view),
            name="review_owner_report_export",
        ),
    ]
