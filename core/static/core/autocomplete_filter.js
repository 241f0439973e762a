'use strict';
// A changelist filter's search box (core/admin_filters.py): choosing an object opens the list filtered by it.
{
    const $ = django.jQuery;
    $(function() {
        $('select.autocomplete-filter').on('change', function() {
            const query = new URLSearchParams(this.dataset.filterQuery);
            if (this.value) {
                query.set(this.dataset.filterParam, this.value);
            }
            window.location.search = query.toString();
        });
    });
}
