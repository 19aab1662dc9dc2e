"""The browser app: one self-contained page assembled from the package's asset files.

``assets/app.html``, ``app.css`` and ``app.js`` are real files (shipped as package data);
the page inlines the style sheet and the script, and its Content-Security-Policy allows
exactly those two (by hash) and requests to this server only: no CDN, no other origin.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from html import escape
from importlib.resources import files

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from kg.server.protocol import prefers_html

__all__ = ["PageParts", "app_page", "index", "page_html"]

_TITLE = "<title>kg: ask, browse and query the graph</title>"
_HINT = '<p class="hint">Search for a concept, or open one in the hierarchy.</p>'

_CSS_SLOT = "<style></style>"
_JS_SLOT = "<script></script>"


def _asset(name: str) -> str:
    return (files("kg.server") / "assets" / name).read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@cache
def page_html() -> tuple[str, str]:
    """(the page, its Content-Security-Policy), built once from the asset files."""
    css, js = _asset("app.css"), _asset("app.js")
    page = _asset("app.html")
    if _CSS_SLOT not in page or _JS_SLOT not in page:
        raise RuntimeError("app.html lost its <style></style> or <script></script> slot")
    page = page.replace(_CSS_SLOT, f"<style>{css}</style>").replace(
        _JS_SLOT, f"<script>{js}</script>")
    policy = "; ".join([
        "default-src 'none'",
        f"script-src {_sha256(js)}",
        f"style-src {_sha256(css)}",
        "connect-src 'self'",
        "img-src 'self' data:",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])
    return page, policy


class PageParts:
    """What the server fills into the page before sending it (all of it already escaped,
    except ``title``, which is escaped here)."""

    def __init__(self, view: str = "ask", title: str = "", head: str = "", article: str = "",
                 tree: str = "", langs: str = "") -> None:
        self.view, self.title, self.head = view, title, head
        self.article, self.tree, self.langs = article, tree, langs


def app_page(parts: PageParts | None = None, status: int = 200,
             headers: dict[str, str] | None = None) -> Response:
    """The app's page, its view shown and filled in by the server (so it reads without
    script); its script reads the URL and takes over from there."""
    page, policy = page_html()
    parts = parts or PageParts()
    if parts.title:
        page = page.replace(_TITLE, f"<title>{escape(parts.title)}</title>", 1)
    page = page.replace("<!--head-->", parts.head, 1).replace("<!--langs-->", parts.langs, 1)
    page = page.replace("<!--concept-->", parts.article or _HINT, 1)
    page = page.replace("<!--tree-->", parts.tree, 1)
    section = f'id="view-{parts.view}" aria-labelledby="tab-{parts.view}"'
    page = page.replace(section + " hidden", section, 1)
    page = page.replace(f'id="tab-{parts.view}"', f'id="tab-{parts.view}" aria-current="page"', 1)
    return HTMLResponse(page, status_code=status, headers={
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-cache",
        **(headers or {}),
    })


async def index(request: Request) -> Response:
    """``/``: the app for browsers, the map of routes as JSON for everyone else."""
    if prefers_html(request):
        return app_page()
    base = str(request.base_url).rstrip("/")
    return JSONResponse({
        "sparql": f"{base}/sparql",
        "void": f"{base}/void",
        "ask": f"{base}/ask?q=...",
        "concept": f"{base}/concept?iri=...",
        "health": f"{base}/healthz",
    })
