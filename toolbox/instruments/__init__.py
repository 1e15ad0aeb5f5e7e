"""The instruments: one module each, declared in `base` terms, listed in `registry`.

This package file stays empty on purpose: importing `toolbox.instruments.base` must not
load every instrument (documents/ imports base; instruments import documents/)."""
