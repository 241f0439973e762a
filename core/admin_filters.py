"""List filters for relations with many choices: a search box instead of a link per object.

Django's related-object filter lists every initiative, department or person as a link: 6,666
initiatives at 100 times the demo data. `AutocompleteFilter` lists none: it renders the admin's
own autocomplete box (select2), which asks `AutocompleteFilterAdmin`'s JSON view for the objects
that match what was typed, among those the admin's scoped list refers to (as Django's
"related only" filter offers). It keeps Django's parameter (`<field>__id__exact`), so links
made for the plain filter still work, and reads only the chosen object (one query, or none).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import path, reverse

RESULTS_PER_PAGE = 20
TERM_LIMIT = 100  # characters of the search term that count


class _FilterSelect(AutocompleteSelect):
    """The admin's autocomplete box, asking the filter's view (scoped to the list) instead of Django's."""

    def __init__(self, field, admin_site, *, url: str):
        super().__init__(field, admin_site)
        self.url = url

    def get_url(self) -> str:
        return self.url


class AutocompleteFilter(admin.RelatedFieldListFilter):
    """A filter by a foreign key that offers a search box, not a link per related object."""

    template = "admin/core/autocomplete_filter.html"

    def field_choices(self, field, request: HttpRequest, model_admin) -> list:
        return []  # nothing listed: the box searches

    def has_output(self) -> bool:
        return True

    def choices(self, changelist):
        model_admin = changelist.model_admin
        opts = model_admin.opts
        url = reverse(f"{model_admin.admin_site.name}:{opts.app_label}_{opts.model_name}_filter_autocomplete")
        related = self.field.remote_field.model
        choice = forms.ModelChoiceField(
            queryset=related._default_manager.all(),
            required=False,
            widget=_FilterSelect(self.field, model_admin.admin_site, url=url),
        )
        value = self.lookup_val[-1] if self.lookup_val else None
        attrs = {
            "class": "autocomplete-filter",
            "data-filter-param": self.lookup_kwarg,  # not data-query: select2 reads data-* as its options
            "data-filter-query": changelist.get_query_string(remove=[self.lookup_kwarg, self.lookup_kwarg_isnull]),
            "aria-label": f"Find a {self.title}",
            "id": f"autocomplete-filter-{self.field_path}",
        }
        # Only the chosen object is read: one query when one is chosen, none otherwise.
        self.box = choice.widget.render(f"filter-{self.field_path}", value if str(value).isdigit() else None, attrs)
        yield {
            "selected": self.lookup_val is None and not self.lookup_val_isnull,
            "query_string": changelist.get_query_string(remove=[self.lookup_kwarg, self.lookup_kwarg_isnull]),
            "display": "All",
        }
        if self.include_empty_choice:
            yield {
                "selected": bool(self.lookup_val_isnull),
                "query_string": changelist.get_query_string({self.lookup_kwarg_isnull: "True"}, [self.lookup_kwarg]),
                "display": f"No {self.title}",
            }


class AutocompleteFilterAdmin(admin.ModelAdmin):
    """A model admin whose `list_filter` may hold `("field", AutocompleteFilter)`: it serves their searches."""

    def _autocomplete_filter_fields(self) -> set[str]:
        return {
            entry[0]
            for entry in self.list_filter
            if isinstance(entry, tuple) and issubclass(entry[1], AutocompleteFilter) and "__" not in entry[0]
        }

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_filter_autocomplete"
        view = self.admin_site.admin_view(self.filter_autocomplete_view)
        return [path("filter-autocomplete/", view, name=name), *super().get_urls()]

    @property
    def media(self):
        # The files (and names) Django's autocomplete widget uses, so none is loaded twice.
        extra = "" if settings.DEBUG else ".min"
        return super().media + forms.Media(
            js=[
                f"admin/js/vendor/jquery/jquery{extra}.js",
                f"admin/js/vendor/select2/select2.full{extra}.js",
                "admin/js/jquery.init.js",
                "admin/js/autocomplete.js",
                "core/autocomplete_filter.js",
            ],
            css={"screen": [f"admin/css/vendor/select2/select2{extra}.css", "admin/css/autocomplete.css"]},
        )

    def filter_autocomplete_view(self, request: HttpRequest) -> JsonResponse:
        """Objects matching `term` among those this user's list refers to, as select2 reads them, 20 a page."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        field_name = request.GET.get("field_name", "")
        if field_name not in self._autocomplete_filter_fields():
            raise Http404(f"field_name: no search filter on {field_name!r}.")
        field = self.opts.get_field(field_name)
        related = field.remote_field.model
        used = self.get_queryset(request).order_by().values(field.attname)
        found = related._default_manager.filter(pk__in=used)
        term = request.GET.get("term", "").strip()[:TERM_LIMIT]
        related_admin = self.admin_site._registry.get(related)
        if term and related_admin is not None:
            found, _ = related_admin.get_search_results(request, found, term)
        ordering = (related_admin.get_ordering(request) if related_admin else None) or related._meta.ordering
        found = found.order_by(*ordering, "pk") if ordering else found.order_by("pk")
        page_number = request.GET.get("page", "1")
        page = Paginator(found, RESULTS_PER_PAGE).get_page(page_number if page_number.isdigit() else 1)
        return JsonResponse(
            {
                "results": [{"id": str(obj.pk), "text": str(obj)} for obj in page.object_list],
                "pagination": {"more": page.has_next()},
            }
        )
