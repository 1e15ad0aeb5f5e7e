"""Display formats shared by pages and documents."""

from __future__ import annotations


def size_text(size: int | None) -> str:
    """A file size for people: "512 Bytes", "3 KB", "1,4 MB" ("" for none)."""
    if not size:
        return ""
    if size < 1024:
        return f"{size} Bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")
