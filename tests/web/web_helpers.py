"""Logging in and posting forms with httpx against the real server, as a browser would."""

from __future__ import annotations

import re

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


def page_csrf(client: httpx.Client, path: str) -> str:
    reply = client.get(path)
    assert reply.status_code == 200, reply.status_code
    return csrf_of(reply.text)
