"""Who may use which licence URL: the rows of the site-wide rule table
(tests/accounts/test_authorization.py), each exercised below for an anonymous visitor, the holder,
another citizen and a staff member of the issuing department (staff are not holders: the wallet
shows them nothing)."""

import pytest

from yiwang.licences import services
from yiwang.licences.models import ShareLink

PUBLIC = "public"
OWN = "the holder (or the holding company's legal representative); anyone else 404"
LICENCE_RULES: dict[str, str] = {
    "licences:verify": PUBLIC,
    "licences:shared": "public, with a share token that is neither revoked nor expired",
    "licences:mine": "signed-in user: only their own delivered licences",
    **{f"licences:{name}": OWN for name in ("licence", "download", "share-create", "share-revoke")},
    "api:verify_licence": PUBLIC,
    "api:verify_payload": PUBLIC,
    "seal-keys": PUBLIC,
}


@pytest.fixture
def urls(sealed):
    licence = sealed.licence()
    share, token = services.create_share(licence, user=sealed.user, days=3)
    pk = licence.pk
    return {
        "licences:verify": ("get", f"/licences/verify/?identifier={licence.identifier}", None),
        "licences:shared": ("get", f"/licences/shared/{token}/", None),
        "licences:mine": ("get", "/licences/mine/", None),
        "licences:licence": ("get", f"/licences/mine/{pk}/", None),
        "licences:download": ("get", f"/licences/mine/{pk}/download/", None),
        "licences:share-create": ("post", f"/licences/mine/{pk}/shares/", {"days": 2}),
        "licences:share-revoke": ("post", f"/licences/mine/{pk}/shares/{share.pk}/revoke/", {}),
        "api:verify_licence": ("get", f"/api/licences/verify?identifier={licence.identifier}", None),
        "api:verify_payload": ("post", "/api/licences/verify-payload",
                               {"payload": services.qr_payload(licence)}),
        "seal-keys": ("get", "/.well-known/yiwang-seal-keys.json", None),
    }


def _call(client, method, url, data):
    if url.startswith("/api/") and data is not None:
        return client.post(url, data, content_type="application/json")
    return getattr(client, method)(url, data or {})


def test_every_licence_url_is_exercised(urls):
    assert set(urls) == set(LICENCE_RULES)


@pytest.mark.parametrize("name", [n for n, rule in LICENCE_RULES.items() if rule.startswith("public")])
def test_public_urls_open_without_signing_in(client, urls, name):
    assert _call(client, *urls[name]).status_code == 200


@pytest.mark.parametrize("name", [n for n, rule in LICENCE_RULES.items() if not rule.startswith("public")])
def test_wallet_urls_send_anonymous_visitors_to_log_in(client, urls, name):
    answer = _call(client, *urls[name])
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", [n for n, rule in LICENCE_RULES.items() if rule == OWN])
def test_the_holder_may(client, sealed, urls, name):
    client.force_login(sealed.user)
    assert _call(client, *urls[name]).status_code in (200, 201, 302)


@pytest.mark.parametrize("who", ["stranger", "certifier"])
@pytest.mark.parametrize("name", [n for n, rule in LICENCE_RULES.items() if rule == OWN])
def test_anyone_else_finds_no_such_licence(client, sealed, urls, name, who):
    client.force_login(sealed.stranger.user if who == "stranger" else sealed.certifier)
    assert _call(client, *urls[name]).status_code == 404
    assert ShareLink.objects.filter(revoked_at__isnull=True).count() == 1


@pytest.mark.parametrize("who", ["stranger", "certifier"])
def test_anyone_elses_wallet_is_empty(client, sealed, urls, who):
    client.force_login(sealed.stranger.user if who == "stranger" else sealed.certifier)
    page = client.get("/licences/mine/").content.decode()
    assert "您还没有电子证照" in page
