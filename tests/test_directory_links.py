"""The public contact directory is linked from the start page and from every page's
footer; suggesting an entry stays reachable from the directory (issue 19.8)."""

from __future__ import annotations

import re


def test_start_page_tile_opens_the_directory(client):
    html = client.get("/").get_data(as_text=True)
    tile = re.search(
        r'<li class="card"[^>]*>\s*(?:\{#.*?#\})?\s*<h2><a href="([^"]+)">'
        r"Verzeichnis der Ansprechpersonen</a>",
        html,
    )
    assert tile and tile.group(1) == "/ansprechpersonen", html
    assert 'href="/instrumente/ansprechpersonen">Eintrag vorschlagen</a>' in html


def test_footer_links_the_directory_everywhere(client):
    for url in ("/", "/instrumente/kooperationsvereinbarung", "/ansprechpersonen"):
        html = client.get(url).get_data(as_text=True)
        footer = re.search(r'<footer class="site-footer">.*?</footer>', html, re.S).group(0)
        assert '<a href="/ansprechpersonen">Kontaktverzeichnis</a>' in footer, url


def test_suggestions_are_reachable_from_the_directory(client):
    html = client.get("/ansprechpersonen").get_data(as_text=True)
    assert 'href="/instrumente/ansprechpersonen">Eintrag vorschlagen</a>' in html
    assert client.get("/instrumente/ansprechpersonen").status_code == 200
