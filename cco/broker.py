"""The embedded filesystem message broker: its folders, shared by web, worker, beat and tests."""

from __future__ import annotations

from pathlib import Path


def filesystem_transport_options(folder: Path) -> dict[str, object]:
    """kombu's filesystem transport options for a broker living in `folder` (created if missing).

    kombu creates none of these folders and, left to itself, keeps its exchange tables in the
    current directory; every process must share the same ones.
    """
    for name in ("out", "processed", "control"):
        (folder / name).mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(folder / "out"),
        "data_folder_out": str(folder / "out"),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),
        "store_processed": False,
    }
