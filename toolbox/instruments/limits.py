"""Limits for free text and lists (issue: hostile input). A short text may still hold one
very long word (URLs, names in other scripts); long text is bounded by characters and lines."""

TEXT_MAX_CHARS = 5000
TEXTAREA_MAX_CHARS = 20000
TEXTAREA_MAX_LINES = 500
LIST_MAX_ROWS = 50
