"""The OAuth 2.0 / OIDC provider follows RFC 9700, driven through its real endpoints with the test
client: only the authorization code with PKCE S256, no implicit or password grant, no token in a
query string, tokens stored only as checksums, and refresh tokens rotated with replay detection."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_refresh_token_model,
)

from tests.accounts.factories import PASSWORD, citizen
from tests.factories import UserFactory
from yiwang.accounts.oidc import register_client
from yiwang.supervision import audit
from yiwang.supervision.models import AuditRecord

Application = get_application_model()
AccessToken = get_access_token_model()
RefreshToken = get_refresh_token_model()
CALLBACK = "https://gjj.example.cn/callback"


@pytest.fixture
def app(db):
    return register_client(name="长春公积金查询", redirect_uris=[CALLBACK])


@pytest.fixture
def person(db):
    return citizen("李娜")


@pytest.fixture
def signed_in(client, person):
    client.force_login(person.user)
    return client


def challenge(verifier: str, method: str = "S256") -> str:
    if method == "plain":
        return verifier
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def consent(client, app, *, method: str = "S256", response_type: str = "code",
            verifier: str | None = None):
    """GET the authorization endpoint and press 同意; returns the final response."""
    params = {"client_id": app.application.client_id, "response_type": response_type,
              "redirect_uri": CALLBACK, "scope": "openid profile", "state": "s1", "nonce": "n1",
              "code_challenge": challenge(verifier or "v" * 64, method),
              "code_challenge_method": method}
    page = client.get("/o/authorize/", params)
    if page.status_code != 200:
        return page
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"',
                             page.content.decode()))
    return client.post("/o/authorize/", {**{k: unescape(v) for k, v in fields.items()},
                                         "allow": "同意"})


def callback(response) -> dict[str, str]:
    assert response.status_code == 302, response.content[:300]
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == CALLBACK
    return {k: v[0] for k, v in parse_qs(location.query).items()} | {"#": location.fragment}


def token(client, app, **data):
    return client.post("/o/token/", {"client_id": app.application.client_id,
                                     "client_secret": app.client_secret, **data})


def sign_in(client, app) -> dict:
    verifier = secrets.token_urlsafe(48)
    code = callback(consent(client, app, verifier=verifier))["code"]
    answer = token(client, app, grant_type="authorization_code", code=code, redirect_uri=CALLBACK,
                   code_verifier=verifier)
    assert answer.status_code == 200, answer.content
    return answer.json()


def userinfo(client, access_token: str, *, in_query: bool = False):
    if in_query:
        return client.get("/o/userinfo/", {"access_token": access_token})
    return client.get("/o/userinfo/", headers={"Authorization": f"Bearer {access_token}"})


# --- grant types ----------------------------------------------------------------------------


@pytest.mark.parametrize("grant", [Application.GRANT_IMPLICIT, Application.GRANT_PASSWORD,
                                   Application.GRANT_OPENID_HYBRID,
                                   Application.GRANT_CLIENT_CREDENTIALS])
def test_no_application_is_saved_for_another_grant_than_the_authorization_code(db, grant):
    application = Application(name="旧系统", redirect_uris=CALLBACK, client_type="confidential",
                              authorization_grant_type=grant, algorithm="RS256")
    with pytest.raises(DjangoValidationError) as refused:
        application.save()
    assert "只允许授权码模式" in str(refused.value)
    assert not Application.objects.exists()


def test_the_admin_offers_only_the_authorization_code(client, db):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    root.save()
    client.force_login(root)
    form = client.get("/admin/oauth2_provider/application/add/").content.decode()
    assert 'value="authorization-code"' in form
    assert 'value="implicit"' not in form and 'value="password"' not in form
    answer = client.post("/admin/oauth2_provider/application/add/", {
        "name": "旧系统", "client_id": "legacy", "client_secret": "s" * 40,
        "hash_client_secret": "on", "client_type": "confidential", "redirect_uris": CALLBACK,
        "post_logout_redirect_uris": "", "allowed_origins": "", "algorithm": "RS256",
        "authorization_grant_type": "password"})
    assert answer.status_code == 200 and "errorlist" in answer.content.decode()
    assert not Application.objects.exists()


def test_the_authorization_endpoint_gives_no_token_even_to_a_legacy_implicit_application(
        signed_in, app):
    # A row written around the save guard (an old import, a database edit).
    Application.objects.filter(pk=app.application.pk).update(
        authorization_grant_type=Application.GRANT_IMPLICIT)
    answer = consent(signed_in, app, response_type="token")
    query = callback(answer) if answer.status_code == 302 else {}
    assert "access_token" not in answer.get("Location", "") and query.get("error")
    assert not AccessToken.objects.exists()


def test_the_token_endpoint_refuses_the_password_and_client_credentials_grants(client, app,
                                                                             person):
    Application.objects.filter(pk=app.application.pk).update(
        authorization_grant_type=Application.GRANT_PASSWORD)
    password = token(client, app, grant_type="password", username=person.mobile,
                     password=PASSWORD, scope="openid")
    assert password.status_code in (400, 401) and "access_token" not in password.json()
    Application.objects.filter(pk=app.application.pk).update(
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS)
    machine = token(client, app, grant_type="client_credentials")
    assert machine.status_code in (400, 401) and "access_token" not in machine.json()
    assert not AccessToken.objects.exists()


def test_discovery_offers_only_the_code_flow_and_s256(client, db):
    doc = client.get("/o/.well-known/openid-configuration").json()
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert doc["response_types_supported"] == ["code"]
    assert "password" not in doc.get("grant_types_supported", [])


# --- PKCE, token transport, storage ---------------------------------------------------------


def test_a_plain_pkce_challenge_is_refused(signed_in, app):
    query = callback(consent(signed_in, app, method="plain"))
    assert query["error"] == "invalid_request" and "code" not in query
    assert not get_grant_model().objects.exists()


def test_an_access_token_in_the_query_string_is_refused(signed_in, app):
    access = sign_in(signed_in, app)["access_token"]
    assert userinfo(signed_in, access, in_query=True).status_code == 401
    assert userinfo(signed_in, access).json()["name"] == "李娜"


def test_tokens_are_stored_only_as_checksums(signed_in, app):
    issued = sign_in(signed_in, app)
    access, refresh = AccessToken.objects.get(), RefreshToken.objects.get()
    assert access.token == "" and refresh.token == ""
    assert access.token_checksum == hashlib.sha256(issued["access_token"].encode()).hexdigest()
    assert refresh.token_checksum == hashlib.sha256(issued["refresh_token"].encode()).hexdigest()
    stored = str(list(AccessToken.objects.values())) + str(list(RefreshToken.objects.values()))
    assert issued["access_token"] not in stored and issued["refresh_token"] not in stored
    assert userinfo(signed_in, issued["access_token"]).status_code == 200


# --- refresh-token rotation and replay ------------------------------------------------------


def test_refresh_rotates_and_a_replayed_token_revokes_the_family_and_is_audited(signed_in, app,
                                                                              person):
    first = sign_in(signed_in, app)
    second = token(signed_in, app, grant_type="refresh_token",
                   refresh_token=first["refresh_token"]).json()
    assert second["refresh_token"] != first["refresh_token"]
    assert userinfo(signed_in, second["access_token"]).status_code == 200

    replay = token(signed_in, app, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    # The whole family is gone: the current refresh token and its access token too.
    current = token(signed_in, app, grant_type="refresh_token",
                    refresh_token=second["refresh_token"])
    assert current.status_code == 400
    assert userinfo(signed_in, second["access_token"]).status_code == 401

    (record,) = AuditRecord.objects.filter(kind="oidc.refresh_token_replayed")  # the replay only
    assert record.data["client_id"] == app.application.client_id
    assert record.data["user_id"] == person.user.pk and record.data["token_family"]
    assert "已使用过的刷新令牌被再次使用" in record.summary
    assert audit.verify_chain().ok
