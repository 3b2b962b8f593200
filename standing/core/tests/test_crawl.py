"""A clerk's first hour, by machine: log in as each role on the demo data, follow every link
reachable from the navigation (bounded), and fail on a server error, a malformed link, or a
second page that shows the rows of the first."""

import io
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from django.core.management import call_command

from standing.accounts.models import Role, User

# Enough to reach every list, its second page, filters and a sample of cards and orders.
MAX_PAGES = 120
# Links that are not pages a clerk reads (downloads, the admin, the API browser).
SKIP = ("/admin/", "/api/", "/static/", "/media/", "/logout/")
SKIP_SUFFIX = (".csv", ".pdf", ".zip", "/export/")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []
        self.rows = []
        self._in_body = 0
        self._row = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href") is not None:
            self.hrefs.append(attrs["href"])
        elif tag == "tbody":
            self._in_body += 1
        elif tag == "tr" and self._in_body:
            self._row = []

    def handle_endtag(self, tag):
        if tag == "tbody":
            self._in_body -= 1
        elif tag == "tr" and self._row is not None:
            self.rows.append(" ".join("".join(self._row).split()))
            self._row = None

    def handle_data(self, data):
        if self._row is not None:
            self._row.append(data)


def parse(html):
    parser = Links()
    parser.feed(html)
    return parser


def malformed(href):
    """A link a browser would follow to the wrong place."""
    return (
        "??" in href
        or href.strip() != href
        or re.search(r"\bNone\b|\{\{|\{%|%\}", href) is not None
        or href.startswith("?&")
    )


@pytest.fixture
def demo(db):
    call_command("demo", stdout=io.StringIO())


def crawl(client, start="/"):
    seen, queue, visited = {start}, [(start, None)], 0
    failures = []
    while queue and visited < MAX_PAGES:
        url, parent = queue.pop(0)
        response = client.get(url, follow=True)
        visited += 1
        if response.status_code >= 500:
            failures.append(f"{url} (from {parent}): {response.status_code}")
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = parse(response.content.decode())
        query = parse_qs(urlsplit(url).query)
        if query.get("page", ["1"]) != ["1"] and parent is not None:
            first = parse(client.get(parent).content.decode()).rows
            shared = set(page.rows) & set(first)
            if page.rows and shared == set(page.rows):
                failures.append(f"{url} shows the rows of {parent}")
        current = response.redirect_chain[-1][0] if response.redirect_chain else url
        for href in page.hrefs:
            if href.startswith(("#", "mailto:", "tel:", "javascript:")) or not href:
                continue
            if malformed(href):
                failures.append(f"malformed link {href!r} on {url}")
                continue
            target = urljoin(current, href)
            parts = urlsplit(target)
            if parts.netloc and parts.netloc != "testserver":
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if local.startswith(SKIP) or parts.path.endswith(SKIP_SUFFIX) or local in seen:
                continue
            seen.add(local)
            # Cards and orders are many: a few of each kind are enough.
            kind = re.sub(r"[A-Z]-?\d+|\d+", "N", parts.path)
            if sum(1 for s in seen if re.sub(r"[A-Z]-?\d+|\d+", "N", s) == kind) > 6:
                continue
            queue.append((local, url))
    return visited, failures


@pytest.mark.parametrize("username", ["admin", "support", "vendor1", "customer"])
def test_every_reachable_page_answers_and_pages_forward(client, demo, username):
    if username == "customer":
        user = User.objects.filter(role=Role.CUSTOMER).order_by("username").first()
        assert user is not None, "the demo has a customer login"
    else:
        user = User.objects.get(username=username)
    client.force_login(user)
    visited, failures = crawl(client)
    assert not failures, "\n".join(failures)
    assert visited >= (2 if username == "customer" else 10)


def test_second_page_of_each_list_shows_other_rows(client, demo):
    client.force_login(User.objects.get(username="admin"))
    for path in ("/customers/", "/orders/", "/denied/"):
        first = client.get(path)
        links = [h for h in parse(first.content.decode()).hrefs if "page=2" in h]
        assert links, f"{path} has a link to its second page"
        assert links[0].startswith("?page=2"), links[0]
        second = client.get(urljoin(path, links[0]))
        assert second.status_code == 200
        rows1, rows2 = parse(first.content.decode()).rows, parse(second.content.decode()).rows
        assert rows2 and not set(rows1) & set(rows2), path


def test_malformed_links_are_recognised():
    assert malformed("??page=2")
    assert malformed("/customers/None/")
    assert not malformed("?page=2&q=x")
