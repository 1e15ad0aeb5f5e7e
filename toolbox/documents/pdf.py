"""PDF from an HTML template (WeasyPrint): the version to print and archive.

The URL fetcher serves only the bundled assets next to the templates and `data:` URLs:
no other local file, no network, no redirects.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from jinja2 import FileSystemLoader
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from toolbox.documents.templating import document_environment

PDF_MEDIA_TYPE = "application/pdf"


class AssetFetcher(URLFetcher):
    """Fetches `data:` URLs and files inside one assets directory; refuses everything else."""

    def __init__(self, assets: Path):
        super().__init__(allowed_protocols={"data"}, allow_redirects=False, timeout=1)
        self.assets = assets.resolve()

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme == "file" and not parts.netloc:
            path = Path(unquote(parts.path)).resolve()
            if path.is_relative_to(self.assets) and path.is_file():
                media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(
                    url, path.read_bytes(), {"Content-Type": media_type}, status=200
                )
        raise ValueError(f"Adresse nicht erlaubt: {url[:80]}")


class PdfRenderer:
    """Holds what is expensive to build once: the Jinja environment, fonts, parsed CSS."""

    def __init__(self, html_dir: Path):
        self.html_dir = html_dir.resolve()
        self.env = document_environment(FileSystemLoader(str(self.html_dir)))
        self.fetcher = AssetFetcher(self.html_dir / "assets")
        self.fonts = FontConfiguration()
        self.css = CSS(
            filename=str(self.html_dir / "assets" / "document.css"),
            font_config=self.fonts,
            url_fetcher=self.fetcher,
        )

    def render_html(self, template_name: str, context: dict) -> str:
        return self.env.get_template(template_name).render(context)

    def html_to_pdf(self, html: str) -> bytes:
        document = HTML(
            string=html,
            base_url=(self.html_dir / "assets").as_uri() + "/",
            url_fetcher=self.fetcher,
        )
        return document.write_pdf(
            stylesheets=[self.css], font_config=self.fonts, pdf_variant="pdf/ua-1"
        )

    def render_pdf(self, template_name: str, context: dict) -> bytes:
        return self.html_to_pdf(self.render_html(template_name, context))
