"""Run by the system Python (which has LibreOffice's `uno` module), not the venv: converts
DOCX files to PDF through one running soffice, on its listener, and prints the seconds of
every conversion as JSON. The first conversion warms the process and is not counted.

    /usr/bin/python3 bench/lo_warm.py PORT ROUNDS OUTDIR FILE.docx ...
"""

import json
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main():
    port, rounds, outdir, files = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4:]
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            ctx = resolver.resolve(
                f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext"
            )
            break
        except Exception:  # noqa: BLE001 - soffice still starting
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)

    def convert(path):
        begin = time.perf_counter()
        doc = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(path), "_blank", 0, (prop("Hidden", True),)
        )
        target = f"{outdir}/{path.rsplit('/', 1)[-1][:-5]}.pdf"
        doc.storeToURL(uno.systemPathToFileUrl(target), (prop("FilterName", "writer_pdf_Export"),))
        doc.close(True)
        return time.perf_counter() - begin

    convert(files[0])  # warm-up, not counted
    times = {path: [convert(path) for _ in range(rounds)] for path in files}
    print(json.dumps(times))


if __name__ == "__main__":
    main()
