"""/api/docs renders Swagger UI from our own static files, under our CSP, with no internet."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_api_docs_list_the_operations_with_assets_from_our_origin(page, live_server):
    outside = []
    page.on("request", lambda request: outside.append(request.url)
            if not request.url.startswith(live_server.url) else None)
    page.goto("/api/docs")
    # Swagger UI parses the whole specification (about 200 KB) before it draws the first
    # operation: with the three databases' runs sharing two cores that takes more than the
    # default ten seconds.
    page.locator(".opblock").first.wait_for(timeout=60_000)
    assert page.get_by_text("/api/accounts/verification-codes", exact=True).is_visible()
    assert page.locator(".opblock").count() > 20
    assert outside == []
