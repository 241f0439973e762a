"""Render a Django template once per shape, and fill each message's free text in by hand.

A batch of reminders renders the same few templates thousands of times with contexts that
differ mostly in plain strings (a name, a title, a link). Django's engine walks every node
for every render. Here a template is rendered once per *shape* (the values of everything
else it reads: numbers, dates, conditions) with a marker in place of each free-text value,
and each message only joins the literal pieces with its own values (escaped for HTML, as
Django would).

A context value is free text only where that is provably the same as Django's render:
- it is a `str`;
- every use of its name in the template (and in the templates it includes) is a bare
  `{{ name }}`: no filter, no dotted lookup, no condition, no tag argument;
- the template uses only tags that read nothing but their arguments (`if`, `for`, `include`
  of a constant name, …), so no tag can read the context behind our back.
Anything else (an unknown tag, `{% include some_variable %}`, a filter on the value) makes the
template or the name fall back to Django's own render, which stays the reference.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import lru_cache

from django.dispatch import receiver
from django.template import Context, engines
from django.template.base import Lexer, TokenType
from django.utils.autoreload import file_changed

# Tags that read the context only through their own arguments (scanned below).
SAFE_TAGS = {"if", "elif", "else", "endif", "for", "empty", "endfor", "include", "comment", "endcomment"}
WORD = re.compile(r"[A-Za-z_]\w*")
INCLUDE = re.compile(r"""^include\s+(["'])([^"']+)\1$""")
# Private-use characters: no escaping touches them, no template text contains them.
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
MARK = re.compile(f"{MARK_OPEN}(\\w+){MARK_CLOSE}")


@lru_cache(maxsize=256)
def _names(template_name: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """(names used only as a bare `{{ name }}`, every other word read), or None: not splittable."""
    bare: set[str] = set()
    other: set[str] = set()
    pending, seen = [template_name], set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        source = engines["django"].engine.get_template(name).source
        for token in Lexer(source).tokenize():
            contents = token.contents.strip()
            if token.token_type == TokenType.VAR:
                if WORD.fullmatch(contents):
                    bare.add(contents)
                else:
                    other.update(WORD.findall(contents))
            elif token.token_type == TokenType.BLOCK:
                tag = contents.split(" ", 1)[0]
                if tag not in SAFE_TAGS:
                    return None
                if tag == "include":
                    included = INCLUDE.match(contents)
                    if included is None:
                        return None  # a template chosen at run time: cannot be scanned here
                    pending.append(included.group(2))
                other.update(WORD.findall(contents))
    return frozenset(bare - other), frozenset(bare | other)


@receiver(file_changed)
def _forget_names(sender, file_path, **kwargs) -> None:
    """runserver reloads an edited template without restarting: what we read from it goes too."""
    _names.cache_clear()


def shape_render(
    template_name: str, context: dict, *, autoescape: bool, shapes: dict, render: Callable[[dict], str]
) -> str:
    """`render(context)`, computed once per shape and kept in `shapes` (a batch's cache).

    `render` is Django's render of the template for a context; it is called with markers in
    place of the free text, or with the real context when the template cannot be split.
    """
    names = _names(template_name)
    if names is None:
        return render(context)
    bare, read = names
    free = [name for name in bare if isinstance(context.get(name), str)]
    try:
        # The type too: 1 and True are equal keys but render differently.
        shape = sorted((k, type(context[k]), context[k]) for k in read - set(free) if k in context)
        key = (template_name, autoescape, tuple(shape))
        pieces = shapes.get(key)
    except TypeError:  # an unhashable value: this render is not shared
        return render(context)
    if pieces is None:
        marked = {k: context[k] for k in read if k in context}
        marked.update({name: f"{MARK_OPEN}{name}{MARK_CLOSE}" for name in free})
        pieces = shapes[key] = MARK.split(render(marked))
    # pieces alternate literal text and a free name: [text, name, text, name, …, text]
    values = [context[name] for name in pieces[1::2]]
    if autoescape:
        values = [_escape(value) for value in values]
    out = [None] * len(pieces)
    out[::2], out[1::2] = pieces[::2], values
    return "".join(out)


def _escape(value: str) -> str:
    """Django's `conditional_escape` of a string, without its lazy-string wrapper."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(value)


def django_render(template, *, autoescape: bool) -> Callable[[dict], str]:
    """Django's render of a compiled template, as `shape_render` expects it."""
    return lambda context: template.render(Context(context, autoescape=autoescape))
