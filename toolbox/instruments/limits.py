"""Limits for free text and lists (issue: hostile input). A short text may still hold one
very long word (URLs, names in other scripts); long text is bounded by characters and lines."""

TEXT_MAX_CHARS = 5000
TEXTAREA_MAX_CHARS = 20000
TEXTAREA_MAX_LINES = 500
LIST_MAX_ROWS = 50

# Issue 14: the limits and the renderer agree. The largest submission they allow (every
# list full, the whole text budget spent; tests/worst_case.py) renders each instrument's
# documents in under a third of the worker's soft time limit (tests/test_worst_case.py,
# numbers in docs/LIMITS.md). Raising a limit means measuring again.
# The text budget of one submission: all text fields together (list rows included), in
# characters, and the lines of all long texts (a long text of n line ends has n + 1).
SUBMISSION_MAX_CHARS = 40000
SUBMISSION_MAX_LINES = 1000
# A submission above a quarter of the character budget, a fifth of the line budget or with
# more list rows than this is "large" (seconds to render, not a fraction of one): it goes
# to a render queue of its own (toolbox/jobs/__init__.py), so it cannot delay the others.
LARGE_CHARS = SUBMISSION_MAX_CHARS // 4
LARGE_LINES = SUBMISSION_MAX_LINES // 5
LARGE_ROWS = 25
