"""A template rendered once per shape, each context's free text filled in: the same text as Django's render."""

import pytest
from django.template import Context, engines
from django.utils.safestring import mark_safe

from core.template_shapes import django_render, shape_render

TEMPLATES = {
    "shapes/page.html": (
        "<p>Hello {{ name }}, {{ days }} day{{ days|pluralize }}.</p>"
        "{% if owner %}<b>{{ owner }}</b>{% else %}nobody{% endif %}"
        "{% for tag in tags %}[{{ tag }}]{% endfor %}"
        '{% include "shapes/part.html" %}'
    ),
    "shapes/part.html": '<a href="{{ url }}">{{ title }}</a> {{ title|upper }}',
    "shapes/other_tag.html": '{{ name }} {% now "Y" %}',
    "shapes/chosen_include.html": "{{ name }} {% include part %}",
}
CONTEXTS = [
    {"name": "Ann", "days": 1, "owner": "", "tags": (), "url": "/t/1/", "title": "R&D <review>"},
    {"name": 'Bob "B" O\'Neil', "days": 1, "owner": "Zoë", "tags": ("a<b",), "url": "/t/2/?a=1&b=2", "title": "Plain"},
    {"name": "", "days": 2, "owner": "Ann", "tags": (), "url": "/t/3/", "title": mark_safe("<i>safe</i>")},
    {"name": "Cé", "days": 1, "owner": "", "tags": (), "url": "/t/4/", "title": "R&D <review>"},
]


@pytest.fixture
def templates(settings):
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", TEMPLATES)]},
        }
    ]
    return engines["django"].engine


def _counting(template, autoescape: bool):
    render, calls = django_render(template, autoescape=autoescape), []

    def counted(context):
        calls.append(context)
        return render(context)

    return counted, calls


@pytest.mark.parametrize("autoescape", [True, False])
def test_every_context_renders_as_django_renders_it_with_one_render_per_shape(templates, autoescape):
    template, shapes = templates.get_template("shapes/page.html"), {}
    render, calls = _counting(template, autoescape)
    for context in CONTEXTS:
        expected = template.render(Context(context, autoescape=autoescape))
        rendered = shape_render("shapes/page.html", context, autoescape=autoescape, shapes=shapes, render=render)
        assert rendered == expected
    # Ann and Cé share a shape (days 1, no owner, no tags, the same title: it has a filter);
    # the others differ in what the template decides on.
    assert len(calls) == 3


@pytest.mark.parametrize("name", ["shapes/other_tag.html", "shapes/chosen_include.html"])
def test_a_template_with_a_tag_that_may_read_anything_is_rendered_by_django_every_time(templates, name):
    template, shapes = templates.get_template(name), {}
    render, calls = _counting(template, True)
    context = {"name": "Ann", "part": "shapes/part.html", "url": "/", "title": "T"}
    for _ in range(2):
        assert shape_render(name, context, autoescape=True, shapes=shapes, render=render) == template.render(
            Context(context)
        )
    assert calls == [context, context] and shapes == {}
