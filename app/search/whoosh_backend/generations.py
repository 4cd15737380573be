"""Where the live search index is: one folder per build, and a pointer switched atomically.

`reindex` builds a complete new index in its own folder beside the live one and then
replaces the small `CURRENT` file naming the live folder (`os.replace`, atomic on POSIX).
Readers follow the pointer, so a reindex killed at any moment leaves the old index live;
its half-built folder is removed at the next start. An archive from before this layout
keeps its index directly in the index folder until its first rebuild.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

POINTER = "CURRENT"
PREFIX = "gen-"
# Files of an index written straight into the root (Whoosh's default index name, MAIN).
_FLAT_LAYOUT_NAMES = ("_MAIN_", "MAIN_", "MAIN.")


def active_dir(root: Path) -> Path:
    """The folder holding the live index: the pointer's target, else the root itself."""
    try:
        name = (root / POINTER).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return root
    return root / name if name.startswith(PREFIX) and "/" not in name else root


def pointer_stamp(root: Path) -> tuple[int, int] | None:
    """Changes whenever the pointer is replaced: a cheap check before every search."""
    try:
        status = os.stat(root / POINTER)
    except FileNotFoundError:
        return None
    return status.st_ino, status.st_mtime_ns


def new_generation_dir(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    folder = root / f"{PREFIX}{stamp}-{os.getpid()}"
    folder.mkdir()
    return folder


def switch_to(root: Path, folder: Path) -> None:
    """Make `folder` the live index in one atomic step, durable once this returns."""
    temporary = root / f".{POINTER}.{os.getpid()}"
    with temporary.open("w", encoding="utf-8") as handle:
        handle.write(folder.name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, root / POINTER)
    directory = os.open(root, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def stale_paths(root: Path) -> list[Path]:
    """What no live index uses: other builds (finished or killed), stray pointer temp files,
    and the old flat layout's files once a generation folder is live."""
    if not root.is_dir():
        return []
    live = active_dir(root)
    stale = []
    for path in root.iterdir():
        if path.name == POINTER or path == live:
            continue
        if path.name.startswith(PREFIX) or path.name.startswith(f".{POINTER}."):
            stale.append(path)
        elif live != root and path.name.startswith(_FLAT_LAYOUT_NAMES):
            stale.append(path)  # Whoosh's TOC, segments, lock and temp folder, by name only
    return sorted(stale)


def remove_paths(paths: list[Path]) -> None:
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
