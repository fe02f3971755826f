"""Single sign-on (统一身份认证) over OpenID Connect, driven over real HTTP: a cookie-keeping
urllib "browser", the provider on ``live_server`` and the example relying party
(examples/third_party_app) served by wsgiref in a thread."""

from __future__ import annotations

import base64
import json
import re
import threading
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from io import StringIO
from urllib.error import HTTPError
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import CommandError, call_command
from oauth2_provider.models import get_access_token_model, get_application_model

from examples.third_party_app.app import Login, OidcError, RelyingParty, SessionEnded, make_app
from tests.accounts.factories import PASSWORD, citizen
from yiwang.accounts.models import AssuranceLevel, AuthEvent

live = pytest.mark.django_db(transaction=True)
APP_NAME = "长春公积金查询"


# --- a browser over real HTTP ---------------------------------------------------------------


@dataclass
class Page:
    status: int
    url: str
    headers: dict
    text: str

    @property
    def location(self) -> str | None:
        return self.headers.get("Location")


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action") or "", "fields": {}})
        elif tag == "input" and self.forms and attrs.get("name") and attrs.get("type") != "submit":
            self.forms[-1]["fields"][attrs["name"]] = attrs.get("value") or ""


class _NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the browser follows redirects itself, so a test sees every hop


@dataclass
class Browser:
    cookies: CookieJar = field(default_factory=CookieJar)
    history: list[str] = field(default_factory=list)

    def open(self, url: str, data: dict | None = None, *, headers=None, follow: bool = True,
             stop_at: str = "") -> Page:
        """GET (or POST ``data``); follows redirects unless ``follow`` is off or they go to
        ``stop_at...``"""
        opener = build_opener(HTTPCookieProcessor(self.cookies), _NoRedirect)
        for _hop in range(10):
            request = Request(url, data=urlencode(data).encode() if data else None,
                              headers=headers or {})
            try:
                with opener.open(request, timeout=10) as response:
                    status, answer_headers, body = response.status, response.headers, response.read()
            except HTTPError as exc:
                status, answer_headers, body = exc.code, exc.headers, exc.read()
            self.history.append(url)
            page = Page(status, url, dict(answer_headers), body.decode())
            if not follow or status not in (301, 302, 303) or not page.location:
                return page
            target = urljoin(url, page.location)
            if stop_at and target.startswith(stop_at):
                page.headers["Location"] = target
                return page
            url, data = target, None
        raise AssertionError(f"too many redirects: {self.history[-10:]}")

    def submit(self, page: Page, *, having: str = "", action: str | None = None, stop_at: str = "",
               **values) -> Page:
        """Submit the first form of ``page`` with an input named ``having`` (or that action)."""
        parser = _Forms()
        parser.feed(page.text)
        form = next((f for f in parser.forms if (having and having in f["fields"])
                     or (action is not None and f["action"] == action)), None)
        assert form, f"no form with {having or action} on {page.url} ({page.status})"
        return self.open(urljoin(page.url, form["action"]), {**form["fields"], **values},
                         stop_at=stop_at)


def is_login_page(page: Page) -> bool:
    return urlsplit(page.url).path == "/accounts/login/" and "统一身份认证登录" in page.text


def log_in(browser: Browser, page: Page, person) -> Page:
    assert is_login_page(page), page.url
    return browser.submit(page, having="username", username=person.id_number, password=PASSWORD)


def portal_log_in(browser: Browser, live_server, person) -> Page:
    return log_in(browser, browser.open(f"{live_server.url}/accounts/login/"), person)


def callback_query(page: Page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.location).query).items()}


# --- the provider, the relying party and the person -----------------------------------------


def register(name: str, *uris: str, public: bool = False) -> tuple[str, str | None]:
    """Runs register_oidc_client: the first URI is the callback, any second one the post-logout
    URI. Returns the printed client_id and client secret."""
    args = ["--name", name, "--redirect-uri", uris[0]]
    args += ["--post-logout-redirect-uri", uris[1]] if len(uris) > 1 else []
    out = StringIO()
    call_command("register_oidc_client", *args, *(["--public"] if public else []), stdout=out)
    printed = dict(re.findall(r"^(client_id|client_secret): (\S+)$", out.getvalue(), re.MULTILINE))
    return printed["client_id"], printed.get("client_secret")


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):  # no access log in the test output
        pass


@pytest.fixture
def rp_server():
    """A wsgiref server on a free port; the ``rp`` fixture gives it the example app."""
    server = make_server("127.0.0.1", 0, None, handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def rp_url(rp_server) -> str:
    return f"http://127.0.0.1:{rp_server.server_port}"


@pytest.fixture
def rp(live_server, rp_server, rp_url) -> RelyingParty:
    client_id, secret = register(APP_NAME, f"{rp_url}/callback", f"{rp_url}/logged-out")
    party = RelyingParty(f"{live_server.url}/o", client_id, secret, f"{rp_url}/callback",
                         post_logout_redirect_uri=f"{rp_url}/logged-out",
                         scopes=("openid", "profile", "phone"))
    rp_server.set_app(make_app(party))
    return party


@pytest.fixture
def person():
    return citizen("李娜", level=AssuranceLevel.REGISTRY_VERIFIED)


@pytest.fixture
def browser() -> Browser:
    return Browser()


def authorize(browser: Browser, rp: RelyingParty, person, scopes=None):
    """The browser's trip through the provider (logging in if it must, consenting) up to the
    redirect back to the relying party: the callback's query and what the RP remembered."""
    url, pending = rp.authorization_url(scopes)
    page = browser.open(url, stop_at=rp.redirect_uri)
    if is_login_page(page):
        page = log_in(browser, page, person)
    if page.status == 200:
        page = browser.submit(page, having="client_id", allow="同意", stop_at=rp.redirect_uri)
    assert page.location and page.location.startswith(rp.redirect_uri), (page.status, page.url)
    return callback_query(page), pending


def sign_in(browser: Browser, rp: RelyingParty, person, scopes=None) -> Login:
    return rp.handle_callback(*authorize(browser, rp, person, scopes))


def log_in_to_app(browser: Browser, rp_url: str, person) -> Page:
    page = log_in(browser, browser.open(f"{rp_url}/login"), person)
    return browser.submit(page, having="client_id", allow="同意")


# --- discovery and client registration ------------------------------------------------------


@pytest.mark.django_db
def test_discovery_names_the_endpoints_and_publishes_the_rsa_key(client):
    doc = client.get("/o/.well-known/openid-configuration").json()
    assert doc["issuer"] == "http://testserver/o"
    for endpoint in ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri",
                     "end_session_endpoint"):
        assert doc[endpoint].startswith("http://testserver/o/")
    assert "S256" in doc["code_challenge_methods_supported"]
    assert "RS256" in doc["id_token_signing_alg_values_supported"]
    assert {"sub", "name", "identity_type", "assurance_level", "phone_number"} <= set(
        doc["claims_supported"])
    (key,) = client.get(urlsplit(doc["jwks_uri"]).path).json()["keys"]
    assert (key["kty"], key["alg"], key["use"]) == ("RSA", "RS256", "sig")
    assert key["n"] and key["e"] and "d" not in key  # the public half only


@pytest.mark.django_db
def test_register_command_prints_a_confidential_secret_once_and_stores_only_its_hash():
    client_id, secret = register(APP_NAME, "https://gjj.example.cn/callback")
    app = get_application_model().objects.get(client_id=client_id)
    assert secret and app.client_secret != secret and check_password(secret, app.client_secret)
    assert (app.name, app.client_type, app.authorization_grant_type, app.algorithm) == (
        APP_NAME, "confidential", "authorization-code", "RS256")
    assert app.skip_authorization is False

    client_id, secret = register("长春公积金手机版", "https://gjj.example.cn/app/callback",
                                 "https://gjj.example.cn/app/", public=True)
    assert secret is None  # PKCE only
    assert get_application_model().objects.get(client_id=client_id).client_type == "public"


@pytest.mark.django_db
@pytest.mark.parametrize(("uris", "public"), [
    (("ftp://gjj.example.cn/callback",), False),
    (("https://gjj.example.cn/callback", "javascript:alert(1)"), False),
    (("https://gjj.example.cn/callback", "http://gjj.example.cn/"), True),  # http only if confidential
])
def test_register_command_refuses_unusable_uris(uris, public):
    with pytest.raises(CommandError, match="不符合要求"):
        register(APP_NAME, *uris, public=public)
    assert not get_application_model().objects.exists()


# --- the code flow --------------------------------------------------------------------------


@live
def test_citizen_logs_in_to_the_example_app_through_the_consent_page(browser, rp, rp_url, person):
    page = browser.open(f"{rp_url}/login")
    page = log_in(browser, page, person)
    assert page.status == 200 and urlsplit(page.url).path == "/o/authorize/"
    assert f"授权“{APP_NAME}”使用您的一网通办账号" in page.text
    assert "姓名、实名等级和身份类型" in page.text and "手机号码" in page.text
    assert "居民身份证号" not in page.text  # id_card was not requested

    page = browser.submit(page, having="client_id", allow="同意")
    assert page.url == f"{rp_url}/" and page.status == 200
    assert "李娜" in page.text and "L2 人口库核验" in page.text and person.mobile in page.text
    audit = AuthEvent.objects.get(kind=AuthEvent.Kind.SSO_AUTHORIZED, user=person.user)
    assert APP_NAME in audit.detail and "手机号码" in audit.detail


@live
def test_refusing_consent_logs_nobody_in(browser, rp, rp_url, person):
    page = log_in(browser, browser.open(f"{rp_url}/login"), person)
    page = browser.submit(page, having="client_id")  # 拒绝: the form without "allow"
    assert page.status == 403 and "您拒绝了授权" in page.text
    assert not get_access_token_model().objects.exists()


@live
def test_userinfo_gives_only_the_claims_of_the_granted_scopes(browser, rp, person):
    login = sign_in(browser, rp, person, scopes=("openid", "profile"))
    assert login.userinfo["identity_type"] == "natural_person"
    assert login.userinfo["assurance_level"] == "L2" and login.userinfo["name"] == "李娜"
    assert "phone_number" not in login.userinfo and "id_number" not in login.userinfo
    assert login.id_claims["sub"] == login.userinfo["sub"] == str(person.user.pk)

    bare = sign_in(browser, rp, person, scopes=("openid",))
    assert set(bare.userinfo) == {"sub"}


@live
def test_a_second_authorization_needs_no_second_log_in(browser, rp, rp_url, person):
    log_in_to_app(browser, rp_url, person)
    browser.history.clear()
    page = browser.open(f"{rp_url}/login")
    assert urlsplit(page.url).path == "/o/authorize/" and APP_NAME in page.text
    assert not any("/accounts/login/" in url for url in browser.history)
    page = browser.submit(page, having="client_id", allow="同意")
    assert page.url == f"{rp_url}/" and "李娜" in page.text


# --- bad input ------------------------------------------------------------------------------


@live
@pytest.mark.parametrize(("change", "message"), [
    ({"client_id": "no-such-app"}, "发起登录的应用未在一网通办登记"),
    ({"redirect_uri": "http://evil.example/callback"}, "回调地址与登记的不一致"),
])
def test_a_bad_client_or_redirect_uri_gets_an_error_page_and_no_redirect(
        browser, rp, person, live_server, change, message):
    portal_log_in(browser, live_server, person)
    url, _pending = rp.authorization_url()
    endpoint, query = url.split("?")
    params = {k: v[0] for k, v in parse_qs(query).items()} | change
    page = browser.open(f"{endpoint}?{urlencode(params)}", follow=False)
    assert page.status == 400 and page.location is None
    assert message in page.text


@live
def test_an_authorization_without_pkce_is_refused(browser, rp, person, live_server):
    portal_log_in(browser, live_server, person)
    url, _pending = rp.authorization_url()
    url = re.sub(r"&code_challenge(_method)?=[^&]*", "", url)
    assert "code_challenge" not in url
    query = callback_query(browser.open(url, stop_at=rp.redirect_uri))
    assert query["error"] == "invalid_request" and "code" not in query


@live
def test_a_code_is_refused_with_a_wrong_verifier_and_when_replayed(browser, rp, person):
    query, _pending = authorize(browser, rp, person)
    with pytest.raises(OidcError, match="invalid_grant"):
        rp.exchange_code(query["code"], "x" * 64)
    query, pending = authorize(browser, rp, person)
    rp.handle_callback(query, pending)
    with pytest.raises(OidcError, match="invalid_grant"):
        rp.exchange_code(query["code"], pending.code_verifier)


def _b64(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _unb64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@live
def test_the_example_app_rejects_a_tampered_id_token(browser, rp, person):
    login = sign_in(browser, rp, person)
    nonce = login.id_claims["nonce"]
    header, payload, signature = login.id_token.split(".")
    raw = bytearray(_b64(payload))
    raw[raw.index(b'"L2"') + 2] = ord("3")  # one byte: L2 becomes L3
    with pytest.raises(OidcError, match="签名无效"):
        rp.verify_id_token(f"{header}.{_unb64(bytes(raw))}.{signature}", nonce=nonce)
    unsigned = _unb64(json.dumps({"alg": "none"}).encode())
    with pytest.raises(OidcError, match="签名算法"):
        rp.verify_id_token(f"{unsigned}.{payload}.", nonce=nonce)
    with pytest.raises(OidcError, match="nonce"):
        rp.verify_id_token(login.id_token, nonce="another-login")
    assert rp.verify_id_token(login.id_token, nonce=nonce)["assurance_level"] == "L2"


@live
def test_userinfo_answers_401_to_a_tampered_access_token(browser, rp, person):
    login = sign_in(browser, rp, person)
    tampered = login.access_token[:-1] + ("A" if login.access_token[-1] != "A" else "B")
    userinfo = rp.metadata["userinfo_endpoint"]
    assert Browser().open(userinfo, headers={"Authorization": f"Bearer {tampered}"}).status == 401
    with pytest.raises(SessionEnded):
        rp.userinfo(tampered)
    assert rp.userinfo(login.access_token)["sub"] == login.id_claims["sub"]


# --- single log-out -------------------------------------------------------------------------


@live
def test_logging_out_on_the_portal_logs_the_user_out_of_the_app(browser, rp, rp_url, person,
                                                                live_server):
    assert "李娜" in log_in_to_app(browser, rp_url, person).text
    portal = browser.open(f"{live_server.url}/accounts/me/")
    browser.submit(portal, action="/accounts/logout/", next="/accounts/login/")
    page = browser.open(f"{rp_url}/")
    assert "您在一网通办的登录已结束" in page.text and "李娜" not in page.text
    assert not get_access_token_model().objects.filter(user=person.user).exists()


@live
def test_logging_out_in_the_app_ends_the_provider_session(browser, rp, rp_url, person, live_server):
    home = log_in_to_app(browser, rp_url, person)
    forged = browser.open(f"{rp_url}/logout", {"csrf": "forged"})  # the example app checks its token
    assert forged.status == 403 and "李娜" in browser.open(f"{rp_url}/").text
    browser.history.clear()
    page = browser.submit(home, action="/logout")
    assert page.url == f"{rp_url}/logged-out" and "您已退出登录" in page.text
    assert any(urlsplit(url).path == "/o/logout/" for url in browser.history)
    assert not get_access_token_model().objects.filter(user=person.user).exists()
    assert is_login_page(browser.open(f"{live_server.url}/accounts/me/"))
    assert "使用一网通办账号登录" in browser.open(f"{rp_url}/").text


@pytest.mark.django_db
def test_a_log_out_request_without_id_token_asks_first_and_never_goes_to_an_unknown_uri(client):
    client.force_login(citizen().user)
    client_id, _secret = register(APP_NAME, "https://gjj.example.cn/cb", "https://gjj.example.cn/bye")
    query = {"client_id": client_id, "post_logout_redirect_uri": "https://gjj.example.cn/bye"}
    unknown = client.get("/o/logout/", {**query, "post_logout_redirect_uri": "https://evil.example/"})
    assert unknown.status_code == 400 and not unknown.has_header("Location")
    assert "退出后返回地址未登记" in unknown.content.decode()

    asked = client.get("/o/logout/", query)
    assert f"“{APP_NAME}”请求退出您的一网通办登录" in asked.content.decode()
    done = client.post("/o/logout/", {**query, "allow": "退出"})
    assert done["Location"] == "https://gjj.example.cn/bye"
    assert client.get("/accounts/me/")["Location"].startswith("/accounts/login/")
