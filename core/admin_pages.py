"""A changelist that finds its page's rows by id before reading them with what its columns show.

Django asks for a changelist page in one query: the filtered rows joined with what the columns
show (`list_select_related`, annotations such as a task's latest confidence), sorted, then cut
to a page. SQLite joins and annotates every filtered row before it sorts them: for the task list
at a large company's size, every open task with its initiative, department, owner and latest
check-in, to show 100. `PageByIdChangeList` sorts and cuts the filtered rows alone, in a
subquery, and joins and annotates only the page's rows: the same rows in the same order, in the
same one query. The rows come from the admin's own queryset (`get_queryset`: what this user may
see, with its annotations), so they are what the list shows.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import QuerySet
from django.http import HttpRequest


class PageByIdChangeList(ChangeList):
    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        page = self.result_list
        if isinstance(page, QuerySet) and page.query.is_sliced:  # one page of several, not "show all"
            # The rows are asked for by id alone: with the list's filters repeated beside the ids,
            # SQLite walks every filtered row's index entry to test it against them.
            rows = self.apply_select_related(self.root_queryset.filter(pk__in=page.values("pk")))
            self.result_list = rows.order_by(*self.queryset.query.order_by)


class PageByIdAdmin(admin.ModelAdmin):
    """A model admin whose changelist pages are found by id first (`PageByIdChangeList`)."""

    def get_changelist(self, request: HttpRequest, **kwargs) -> type[ChangeList]:
        return PageByIdChangeList
