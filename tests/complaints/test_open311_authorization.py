"""Who may use each URL of the Open311 GeoReport v2 interface, part D:
``OPEN311_RULES`` names every one (tests/accounts/test_authorization.py
checks that every URL of the site has a rule), and the tests below try each as every role."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.complaints.test_open311 import Open311World
from yiwang.complaints.models import HotlineRequest

PUBLIC = ("public, no session needed and none used: a signed-in citizen or staff member sees "
          "exactly what an anonymous caller sees (Open311 requests only, never a 举报, never a "
          "name or a phone)")
OPEN311_RULES: dict[str, str] = {
    "open311:discovery": PUBLIC,
    "open311:services": PUBLIC + "; the active services only",
    "open311:service": PUBLIC + "; an inactive or unknown service 404",
    "open311:requests": (PUBLIC + " (GET); filing (POST) only with an active Open311Client's "
                         "api_key — none, a wrong or a disabled one 403, whatever the session; "
                         "no CSRF (an app posts with its key, not with cookies)"),
    "open311:request": PUBLIC + "; a request not filed through Open311 (or a 举报) 404",
    "open311:token": PUBLIC + "; only the current token of an Open311 request (else 404)",
}


def _open311_names() -> set[str]:
    def walk(resolver, namespace):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name and namespace == "open311":
                yield f"open311:{pattern.name}"

    return set(walk(get_resolver(), None))


def test_every_open311_url_has_a_rule():
    assert _open311_names() == set(OPEN311_RULES)


@pytest.fixture
def world(db):
    world = Open311World()
    (body,) = world.post(Client()).json()
    world.number, world.token = body["service_request_id"], body["token"]
    return world


def _players(world) -> dict:
    """Anonymous, the citizen 王芳, the hotline operator and a department's handler."""
    players = {"anonymous": Client()}
    for name, user in (("citizen", world.citizen), ("operator", world.operator),
                       ("handler", world.handler)):
        players[name] = Client()
        players[name].force_login(user)
    return players


READS = {
    "open311:discovery": "/open311/discovery.json",
    "open311:services": "/open311/v2/services.json",
    "open311:service": "/open311/v2/services/streetlight.json",
    "open311:requests": "/open311/v2/requests.json",
    "open311:request": "/open311/v2/requests/{number}.json",
    "open311:token": "/open311/v2/tokens/{token}.json",
}


@pytest.mark.parametrize("name", list(READS))
def test_every_role_reads_the_same_public_answer(world, name):
    path = READS[name].format(number=world.number, token=world.token)
    answers = {role: client.get(path) for role, client in _players(world).items()}
    assert {answer.status_code for answer in answers.values()} == {200}, name
    assert len({answer.content for answer in answers.values()}) == 1, name
    assert "13904319876" not in answers["operator"].content.decode()


def test_filing_needs_the_api_key_whatever_the_session(world):
    for role, client in _players(world).items():
        answer = world.post(client, api_key=None)
        assert answer.status_code == 403, role
    assert HotlineRequest.objects.count() == 1  # the world's own
    assert world.post(_players(world)["anonymous"]).status_code == 201


def test_a_hotline_request_of_another_channel_is_not_readable(world):
    web, token = world.submit()
    for role, client in _players(world).items():
        assert client.get(f"/open311/v2/requests/{web.number}.json").status_code == 404, role
        assert client.get(f"/open311/v2/tokens/{token}.json").status_code == 404, role
