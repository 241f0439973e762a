"""Placeholder, replaced below."""


def import_view(request, *, site):
    raise NotImplementedError
