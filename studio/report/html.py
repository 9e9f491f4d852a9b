"""The HTML both pages share: one autoescaping Jinja2 environment, the base style and safe links."""

from __future__ import annotations

from functools import lru_cache
from pathlib import PurePosixPath
from urllib.parse import quote, urlsplit

import jinja2
from markupsafe import Markup

#: Opened from disk or a plain web server, the pages must fetch nothing from anywhere else: the
#: policy lets them load only files beside them (and the empty inline favicon that stops a /favicon.ico
#: request) and inline captions, so a stray absolute URL in a manifest cannot leak a reviewer's visit.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' file: data:; media-src 'self' file: data:; "
    "base-uri 'none'; form-action 'none'"
)

BASE_CSS = """
:root { --ink: #0b1f3a; --muted: #5a6473; --line: #d9dde3; --paper: #ffffff; --bg: #f4f5f7;
        --accent: #0b5fa5; --warn: #b3261e; --warn-bg: #fdecea; --ok: #1e6b34; --ai: #7a3e00; --ai-bg: #fff1d6; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px; background: var(--bg); color: var(--ink);
       font: 15px/1.45 "Noto Sans", "DejaVu Sans", "Segoe UI", Arial, sans-serif; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 28px 0 10px; border-bottom: 2px solid var(--accent); padding-bottom: 4px; }
h3 { font-size: 17px; margin: 18px 0 8px; }
.ru { color: var(--muted); font-weight: normal; }
.meta { color: var(--muted); margin: 2px 0; }
table { border-collapse: collapse; background: var(--paper); margin: 8px 0 16px; }
th, td { border: 1px solid var(--line); padding: 6px 10px; text-align: left; vertical-align: top; }
th { background: #e9edf2; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.warn { color: var(--warn); font-weight: bold; }
.notice { background: var(--warn-bg); border: 2px solid var(--warn); border-radius: 8px; padding: 8px 16px;
          margin: 12px 0; }
details.detail { font-size: 12px; color: var(--muted); font-weight: normal; }
.ok { color: var(--ok); font-weight: bold; }
code { font-size: 13px; overflow-wrap: anywhere; }
@media print { body { background: #fff; padding: 0; } }
"""


#: The frame of every page: pages ``{% extends "page.html" %}`` and fill its title, style and body blocks.
PAGE_HTML = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{ csp }}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>{% block title %}{% endblock %}</title>
<style>{{ base_css }}{% block style %}{% endblock %}</style>
</head>
<body>
{% block body %}{% endblock %}
</body>
</html>
"""


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """Every value is escaped unless marked safe; a missing variable is an error, not an empty string."""
    env = jinja2.Environment(
        loader=jinja2.DictLoader({"page.html": PAGE_HTML}),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Marked safe: escaped, the quotes around "Noto Sans" would become &#34; and the browser drop the rule.
    env.globals["base_css"] = Markup(BASE_CSS)
    env.globals["csp"] = CONTENT_SECURITY_POLICY
    return env


@lru_cache(maxsize=16)
def template(source: str) -> jinja2.Template:
    """A page template compiled once per process (compiling is most of the time of writing a page)."""
    return environment().from_string(source)


def relative_href(path: str) -> str | None:
    """A link to a file under the page's folder, percent-encoded; None for anything that leaves it.

    Manifest paths are relative to the quarter folder. An absolute path, a ``..`` step or a scheme
    would point outside it (or to another site), so such a path is shown but never linked or loaded.
    """
    posix = PurePosixPath(path)
    if not path or posix.is_absolute() or path.startswith("\\") or ".." in posix.parts or "\\" in path:
        return None
    return quote(path, safe="/")  # ":" is encoded too, so "javascript:x" or "https:" stays a file name


def external_href(url: str | None) -> str | None:
    """A link a reviewer may follow by hand (the QR target): only the schemes a reporting channel uses."""
    if not url:
        return None
    return url if urlsplit(url).scheme in ("https", "http", "tg", "tel") else None
