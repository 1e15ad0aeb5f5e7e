"""Pure rendering: bytes in, bytes out. No Flask request, no database."""
