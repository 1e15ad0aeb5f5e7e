"""The live preview as the form asks for it: POST /instrumente/<slug>/vorschau with the
golden form data, through Flask (validation, context, HTML of the document), in this
process. Compared with the bare DOCX render of the same instrument: a preview must not
cost more than a document does (issue 18), and it never makes a PDF."""

from __future__ import annotations

import re
import statistics
import time

from flask import Flask
from werkzeug.datastructures import MultiDict

from toolbox.instruments.formdata import json_to_formdata
from toolbox.instruments.registry import INSTRUMENTS

_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def measure(app: Flask, data: dict[str, dict], n: int) -> dict[str, float]:
    """Median seconds of one preview answer per instrument."""
    app.config["TOOLBOX_PREVIEW_RATE_LIMIT"] = "1000000 per minute"  # all from one address
    client = app.test_client()
    out = {}
    for slug, raw in data.items():
        formdata, errors = json_to_formdata(INSTRUMENTS[slug], raw)
        if errors:
            raise ValueError(f"{slug}: bench data invalid: {errors}")
        page = client.get(f"/instrumente/{slug}").get_data(as_text=True)
        body = MultiDict([*formdata.items(multi=True), ("csrf_token", _CSRF.search(page)[1])])
        url = f"/instrumente/{slug}/vorschau"
        times = []
        for i in range(n + 1):  # the first compiles the template
            start = time.perf_counter()
            response = client.post(url, data=body)
            elapsed = time.perf_counter() - start
            if response.status_code != 200:
                raise RuntimeError(f"{slug}: preview answered {response.status_code}")
            if i:
                times.append(elapsed)
        out[slug] = statistics.median(times)
    return out
