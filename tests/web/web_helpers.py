"""Logging in and posting forms with httpx against the real server, as a browser would."""

from __future__ import annotations

import http.client
import re
from typing import Any
from urllib.parse import urlsplit

import httpx

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


def login(url: str, name: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=url, follow_redirects=False, timeout=30)
    page = client.get("/login")
    reply = client.post("/login", data={"csrf": csrf_of(page.text), "name": name, "password": password})
    assert reply.status_code == 303, reply.text
    return client


def sign_in(page: Any, url: str, name: str, password: str) -> None:
    """Log in through the login form in the browser ``page``, landing on the home page."""
    page.goto(url + "/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(url + "/")


def data_attr(html: str, name: str, after: str = "") -> str:
    """The value of the first ``data-NAME`` attribute in ``html`` (after the text ``after``, if given)."""
    marker = f'{after}data-{name}="'
    assert marker in html, f"the page has no {marker}"
    return html.split(marker, 1)[1].split('"', 1)[0]


def page_csrf(client: httpx.Client, path: str) -> str:
    reply = client.get(path)
    assert reply.status_code == 200, reply.status_code
    return csrf_of(reply.text)


def raw_get(url: str, path: str, cookie: str = "") -> tuple[int, bytes]:
    """A GET with the path sent exactly as written (httpx and browsers would resolve ``..`` first)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    conn.putrequest("GET", path, skip_accept_encoding=True)
    if cookie:
        conn.putheader("Cookie", cookie)
    conn.endheaders()
    reply = conn.getresponse()
    body = reply.read()
    conn.close()
    return reply.status, body
