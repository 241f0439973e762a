"""Moving a model to another app: its content type (and so its permissions and admin history) follows.

Used by the migrations that moved models between apps; kept here, not copied into each one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable


def content_types_move(*, to_app: str, moved: Iterable[tuple[str, str]]) -> tuple[Callable, Callable]:
    """RunPython's forward and backward functions for models `moved` as (old app label, model name)."""
    moved = list(moved)

    def relabel(apps, *, src: Callable[[str], str], dst: Callable[[str], str]) -> None:
        content_type = apps.get_model("contenttypes", "ContentType")
        for old_app, model in moved:
            source = content_type.objects.filter(app_label=src(old_app), model=model)
            if source.exists():
                # A post_migrate between two partial migrates may have made an empty twin: the one
                # that carries the permissions and admin history wins.
                content_type.objects.filter(app_label=dst(old_app), model=model).delete()
                source.update(app_label=dst(old_app))

    def forward(apps, schema_editor) -> None:
        relabel(apps, src=lambda old: old, dst=lambda old: to_app)

    def backward(apps, schema_editor) -> None:
        relabel(apps, src=lambda old: to_app, dst=lambda old: old)

    return forward, backward
