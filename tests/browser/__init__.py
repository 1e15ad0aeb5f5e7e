"""Real-browser tests (Playwright + Debian's Chromium). A package, so that its conftest does
not shadow tests/conftest.py for the modules that `from conftest import …`."""
