"""Who may use which exchange URL: the rows of the site-wide rule table
(tests/accounts/test_authorization.py), each exercised for an anonymous visitor, the owner, another
citizen and a staff member of the case's department."""

import pytest

from tests.exchange.test_attach_bundle import key_of, reuse_bundle
from yiwang.exchange.models import DataUse

EXCHANGE_RULES: dict[str, str] = {
    "exchange:uses": "signed-in user: only the uses of their own (or their company's) data",
    "portal:case-licence": "the applicant of the case, with their own licence; anyone else 404",
    "portal:case-record": "the applicant of the case, with their own registry record; anyone else 404",
    "portal:bundle-licence": "the applicant of the bundle application, with their own licence; "
                             "anyone else 404",
    "portal:bundle-record": "the applicant of the bundle application, with their own registry "
                            "record; anyone else 404",
}
# Pages of the applicant's case: anyone else finds no such case.
CASE_PAGES = ("portal:case-licence", "portal:case-record", "portal:bundle-licence",
              "portal:bundle-record")


@pytest.fixture
def world(registries):
    return registries


@pytest.fixture
def urls(world):
    case = world.renewal_draft()
    material = world.material(case, "食品经营许可证").pk
    change = world.change_draft()
    bundle = reuse_bundle(world)
    return {
        "portal:bundle-licence": ("post", f"/bundles/applications/{bundle.pk}/licence/",
                                  {"material": key_of(bundle, "食品经营许可证"),
                                   "licence": world.food_licence.pk, "consent": "yes"}),
        "portal:bundle-record": ("post", f"/bundles/applications/{bundle.pk}/record/",
                                 {"material": key_of(bundle, "居民户口簿"),
                                  "record": world.wang_hukou.pk, "consent": "yes"}),
        "portal:case-record": ("post", f"/cases/{change.pk}/record/",
                               {"material": world.material(change, "居民户口簿").pk,
                                "record": world.wang_hukou.pk, "consent": "yes"}),
        "exchange:uses": ("get", "/exchange/uses/", {}),
        "portal:case-licence": ("post", f"/cases/{case.pk}/licence/",
                                  {"material": material, "licence": world.food_licence.pk,
                                   "consent": "yes"}),
    }


def test_every_exchange_url_is_exercised(urls):
    assert set(urls) == set(EXCHANGE_RULES)


@pytest.mark.parametrize("name", list(EXCHANGE_RULES))
def test_anonymous_visitors_are_sent_to_log_in(client, urls, name):
    method, url, data = urls[name]
    answer = getattr(client, method)(url, data)
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", list(EXCHANGE_RULES))
def test_the_owner_may(client, world, urls, name):
    client.force_login(world.user)
    method, url, data = urls[name]
    assert getattr(client, method)(url, data).status_code in (200, 302)


@pytest.mark.parametrize("name", CASE_PAGES)
@pytest.mark.parametrize("who", ["stranger", "acceptor"])
def test_anyone_else_finds_no_such_case(client, world, urls, who, name):
    client.force_login(world.stranger.user if who == "stranger" else world.acceptor)
    method, url, data = urls[name]
    assert getattr(client, method)(url, data).status_code == 404
    assert not DataUse.objects.exists()
