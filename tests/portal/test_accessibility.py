"""Static accessibility and CSP checks over every portal page: language, landmarks, skip link,
labelled form controls, table headers with scope, and no inline script or style."""

from html.parser import HTMLParser

import pytest

from yiwang.catalog import search as catalog_search
from yiwang.catalog.search import SearchResults


class PageAudit(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []
        self.labels_for = set()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "label" and attrs.get("for"):
            self.labels_for.add(attrs["for"])
        if "style" in attrs:
            self.problems.append(f"inline style on <{tag}>")
        if tag == "script" and not attrs.get("src"):
            self.problems.append("inline <script>")
        if tag == "th" and attrs.get("scope") not in ("row", "col"):
            self.problems.append("<th> without scope")

    def audit(self, html):
        self.feed(html)
        html_attrs = next(a for t, a in self.tags if t == "html")
        if html_attrs.get("lang") != "zh-CN":
            self.problems.append("html lang is not zh-CN")
        names = [t for t, _ in self.tags]
        for landmark in ("header", "nav", "main", "footer"):
            if landmark not in names:
                self.problems.append(f"no <{landmark}>")
        if not any(t == "a" and a.get("href") == "#main" for t, a in self.tags):
            self.problems.append("no skip link")
        if not any(t == "main" and a.get("id") == "main" for t, a in self.tags):
            self.problems.append("no main#main")
        controls = [(t, a) for t, a in self.tags
                    if t in ("input", "select", "textarea") and a.get("type") != "hidden"]
        for tag, attrs in controls:
            if attrs.get("id") not in self.labels_for and "aria-label" not in attrs:
                self.problems.append(f"unlabelled <{tag} name={attrs.get('name')}>")
        return self.problems


@pytest.fixture
def pages(item, birth, monkeypatch):
    monkeypatch.setattr(catalog_search, "search", lambda query, **f: SearchResults(
        query=query, total=0, page=1, page_size=10))
    code = item.handling_code
    return ["/", "/search/", "/search/?q=社保", "/topics/", "/topics/birth/", "/departments/",
            f"/departments/{item.department.pk}/", "/regions/", "/regions/220000/",
            f"/items/{code}/", f"/items/{code}/print/", "/items/abc/", "/m/", "/m/search/?q=社保",
            "/m/topics/birth/", f"/m/items/{code}/", "/m/items/abc/", "/no-such-page/"]


def test_every_portal_page_passes_the_static_audit(client, pages):
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 400, 404), url
        problems = PageAudit().audit(response.content.decode())
        # The print view deliberately drops the site navigation.
        if url.endswith("/print/"):
            problems = [p for p in problems if p != "no <nav>"]
        assert problems == [], url


def test_pages_send_a_strict_content_security_policy(client, item):
    policy = client.get(f"/items/{item.handling_code}/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
