"""长春公积金查询: an example third-party channel that lets citizens log in with their 一网通办
account (统一身份认证) over OpenID Connect.

Only the standard library and jwcrypto: discovery, the authorization-code flow with PKCE (S256),
state and nonce, the token exchange, ID token verification against the provider's JWKS, the
userinfo call, and RP-initiated logout. Every page view asks the provider's userinfo endpoint
again, so a log-out anywhere on 一网通办 (which revokes every token of the user) logs the user
out here at the next click.

    python examples/third_party_app/app.py --client-id ... --client-secret ...

See README.md next to this file.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import html
import json
import os
import secrets
import threading
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.error import HTTPError, URLError
from urllib.parse import parse_qs, quote_plus, urlencode, urlsplit
from urllib.request import Request, urlopen
from wsgiref.simple_server import make_server

from jwcrypto import jwk, jws

CLOCK_SKEW_SECONDS = 60
ASSURANCE_LABELS = {"L1": "L1 自行注册", "L2": "L2 人口库核验", "L3": "L3 窗口现场核验"}


class OidcError(Exception):
    """The login failed; ``code`` is the OAuth error code or our own, ``message`` is for people."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code, self.message = code, message


class SessionEnded(OidcError):
    """The provider no longer accepts the access token: the user logged out (or it expired)."""


@dataclass(frozen=True)
class PendingLogin:
    """What the browser's session keeps between sending the user away and the callback."""

    state: str
    nonce: str
    code_verifier: str


@dataclass(frozen=True)
class Login:
    id_token: str
    id_claims: dict
    access_token: str
    userinfo: dict


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _http(url: str, *, data: dict | None = None, headers: dict | None = None,
          timeout: float = 10) -> tuple[int, bytes]:
    """One HTTP request to the provider; answers (status, body) for error statuses too."""
    if urlsplit(url).scheme not in {"http", "https"}:
        raise OidcError("bad_url", f"不支持的地址：{url}")
    body = urlencode(data).encode() if data is not None else None
    request = Request(url, data=body,  # noqa: S310 (scheme checked above)
                      headers={"Accept": "application/json", **(headers or {})})
    try:
        with urlopen(request, timeout=timeout) as response:  # noqa: S310 (scheme checked above)
            return response.status, response.read()
    except HTTPError as exc:
        return exc.code, exc.read()
    except URLError as exc:
        raise OidcError("provider_unreachable", f"无法连接一网通办：{exc.reason}") from exc


def _json(status: int, body: bytes, what: str) -> dict:
    try:
        return json.loads(body)
    except ValueError:
        raise OidcError("bad_response", f"{what}返回的不是 JSON（HTTP {status}）") from None


class RelyingParty:
    """The OpenID Connect client side: everything the web app below needs, no web framework."""

    def __init__(self, issuer: str, client_id: str, client_secret: str | None, redirect_uri: str,
                 *, post_logout_redirect_uri: str | None = None,
                 scopes: tuple[str, ...] = ("openid", "profile")):
        self.issuer = issuer.rstrip("/")
        self.client_id, self.client_secret = client_id, client_secret
        self.redirect_uri, self.post_logout_redirect_uri = redirect_uri, post_logout_redirect_uri
        self.scopes = scopes
        self._metadata: dict | None = None
        self._keys: jwk.JWKSet | None = None

    # --- discovery and keys --------------------------------------------------------------

    @property
    def metadata(self) -> dict:
        if self._metadata is None:
            status, body = _http(self.issuer + "/.well-known/openid-configuration")
            metadata = _json(status, body, "发现文档")
            # OIDC Discovery 4.3: the document must name exactly the issuer we asked.
            if status != 200 or metadata.get("issuer") != self.issuer:
                raise OidcError("discovery_failed", "一网通办的发现文档与配置的签发方不符")
            self._metadata = metadata
        return self._metadata

    def _signing_key(self, kid: str | None) -> jwk.JWK:
        for refresh in (False, True):  # an unknown kid may be a rotated key: fetch once more
            if self._keys is None or refresh:
                status, body = _http(self.metadata["jwks_uri"])
                if status != 200:
                    raise OidcError("jwks_failed", f"读取一网通办的签名公钥失败（HTTP {status}）")
                self._keys = jwk.JWKSet.from_json(body.decode())
            key = self._keys.get_key(kid) if kid else None
            if key is not None and key.get("kty") == "RSA":
                return key
        raise OidcError("id_token_invalid", "身份令牌的签名密钥不在一网通办公布的密钥中")

    # --- the authorization-code flow -----------------------------------------------------

    def authorization_url(self, scopes: tuple[str, ...] | None = None) -> tuple[str, PendingLogin]:
        """Where to send the browser, and what to remember until it comes back."""
        pending = PendingLogin(state=secrets.token_urlsafe(24), nonce=secrets.token_urlsafe(24),
                               code_verifier=secrets.token_urlsafe(48))
        challenge = _b64url(hashlib.sha256(pending.code_verifier.encode()).digest())
        query = urlencode({
            "response_type": "code", "client_id": self.client_id, "redirect_uri": self.redirect_uri,
            "scope": " ".join(scopes or self.scopes), "state": pending.state, "nonce": pending.nonce,
            "code_challenge": challenge, "code_challenge_method": "S256",
        })
        return f"{self.metadata['authorization_endpoint']}?{query}", pending

    def handle_callback(self, query: dict[str, str], pending: PendingLogin) -> Login:
        """The browser came back to redirect_uri with ``query``: check it, redeem the code."""
        if not secrets.compare_digest(query.get("state", ""), pending.state):
            raise OidcError("state_mismatch", "登录请求已失效或被篡改，请重新登录")
        if "error" in query:
            if query["error"] == "access_denied":
                raise OidcError("access_denied", "您拒绝了授权，未登录")
            raise OidcError(query["error"], "一网通办拒绝了登录请求："
                            + query.get("error_description", query["error"]))
        if not query.get("code"):
            raise OidcError("invalid_request", "回调中缺少授权码")
        tokens = self.exchange_code(query["code"], pending.code_verifier)
        claims = self.verify_id_token(tokens.get("id_token", ""), nonce=pending.nonce)
        userinfo = self.userinfo(tokens["access_token"])
        # OIDC Core 5.3.4: userinfo must be about the same person as the ID token.
        if userinfo.get("sub") != claims["sub"]:
            raise OidcError("sub_mismatch", "用户信息与身份令牌不属于同一用户")
        return Login(id_token=tokens["id_token"], id_claims=claims,
                     access_token=tokens["access_token"], userinfo=userinfo)

    def exchange_code(self, code: str, code_verifier: str) -> dict:
        form = {"grant_type": "authorization_code", "code": code,
                "redirect_uri": self.redirect_uri, "code_verifier": code_verifier}
        headers = {}
        if self.client_secret:  # client_secret_basic; RFC 6749 2.3.1 form-encodes both parts
            pair = f"{quote_plus(self.client_id)}:{quote_plus(self.client_secret)}"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
        else:  # a public client proves itself with PKCE alone
            form["client_id"] = self.client_id
        status, body = _http(self.metadata["token_endpoint"], data=form, headers=headers)
        answer = _json(status, body, "令牌端点")
        if status != 200 or "access_token" not in answer:
            raise OidcError(answer.get("error", "token_error"),
                            "换取令牌失败：" + answer.get("error_description", f"HTTP {status}"))
        return answer

    def verify_id_token(self, id_token: str, *, nonce: str) -> dict:
        """The ID token's claims once its RS256 signature, issuer, audience, expiry and nonce
        check out (OIDC Core 3.1.3.7); OidcError otherwise."""
        token = jws.JWS()
        try:
            token.deserialize(id_token)
            header = token.jose_header
        except (jws.InvalidJWSObject, ValueError):
            raise OidcError("id_token_invalid", "身份令牌格式错误") from None
        if header.get("alg") != "RS256":  # never let the token choose "none" or HS256
            raise OidcError("id_token_invalid", "身份令牌的签名算法不被接受")
        try:
            token.verify(self._signing_key(header.get("kid")), alg="RS256")
            claims = json.loads(token.payload)
        except (jws.InvalidJWSSignature, ValueError):
            raise OidcError("id_token_invalid", "身份令牌签名无效") from None
        audiences = claims.get("aud")
        audiences = [audiences] if isinstance(audiences, str) else audiences or []
        now = time.time()
        problems = [
            (claims.get("iss") != self.issuer, "签发方不符"),
            (self.client_id not in audiences, "不是签发给本应用的"),
            (len(audiences) > 1 and claims.get("azp") != self.client_id, "授权方不符"),
            (not isinstance(claims.get("exp"), int | float)
             or claims["exp"] < now - CLOCK_SKEW_SECONDS, "已过期"),
            (not secrets.compare_digest(str(claims.get("nonce", "")), nonce), "nonce 不符"),
            (not claims.get("sub"), "缺少用户标识"),
        ]
        for failed, what in problems:
            if failed:
                raise OidcError("id_token_invalid", f"身份令牌{what}")
        return claims

    def userinfo(self, access_token: str) -> dict:
        status, body = _http(self.metadata["userinfo_endpoint"],
                             headers={"Authorization": f"Bearer {access_token}"})
        if status in (401, 403):
            raise SessionEnded("session_ended", "您在一网通办的登录已结束")
        if status != 200:
            raise OidcError("userinfo_failed", f"读取用户信息失败（HTTP {status}）")
        return _json(status, body, "用户信息端点")

    def logout_url(self, id_token: str, state: str | None = None) -> str:
        """RP-initiated logout: the provider ends its session (and thereby every token)."""
        params = {"id_token_hint": id_token, "client_id": self.client_id}
        if self.post_logout_redirect_uri:
            params["post_logout_redirect_uri"] = self.post_logout_redirect_uri
        if state:
            params["state"] = state
        return f"{self.metadata['end_session_endpoint']}?{urlencode(params)}"


# --- the web app -------------------------------------------------------------------------------

SESSION_COOKIE = "gjj_session"  # not "sessionid": cookies ignore ports, the provider may share the host


class Sessions:
    """Server-side sessions in memory, keyed by a random cookie; fine for a one-process example."""

    def __init__(self):
        self._data: dict[str, dict] = {}
        self._lock = threading.Lock()

    def load(self, environ) -> tuple[str, dict]:
        cookie = SimpleCookie(environ.get("HTTP_COOKIE", ""))
        key = cookie[SESSION_COOKIE].value if SESSION_COOKIE in cookie else ""
        with self._lock:
            if key not in self._data:
                key = secrets.token_urlsafe(32)
                self._data[key] = {"csrf": secrets.token_urlsafe(16)}
            return key, self._data[key]

    def rotate(self, key: str) -> str:
        """A new key for the same data once the user is logged in (against session fixation)."""
        with self._lock:
            new = secrets.token_urlsafe(32)
            self._data[new] = self._data.pop(key)
            return new

    def clear(self, key: str) -> None:
        with self._lock:
            self._data[key] = {"csrf": secrets.token_urlsafe(16)}


def _page(title: str, body: str) -> bytes:
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)} - 长春公积金查询</title></head><body>"
            f"<header><strong>长春公积金查询</strong>（一网通办接入示例）</header>"
            f"<main><h1>{html.escape(title)}</h1>{body}</main></body></html>").encode()


def make_app(rp: RelyingParty, *, sessions: Sessions | None = None):
    """The WSGI app: ``/`` home, ``/login``, ``/callback``, ``POST /logout``, ``/logged-out``."""
    sessions = sessions or Sessions()
    login_link = '<p><a href="/login">使用一网通办账号登录</a></p>'

    def home(session, _environ):
        login: Login | None = session.get("login")
        if login is None:
            return "200 OK", _page("欢迎", "<p>查询公积金缴存信息，请先登录。</p>" + login_link)
        try:
            info = rp.userinfo(login.access_token)  # re-checked on every view: single log-out
        except SessionEnded:
            session.pop("login", None)
            return "200 OK", _page("登录已结束", "<p>您在一网通办的登录已结束（可能已在其他地方退出），"
                                   "本应用也已退出。</p>" + login_link)
        level = info.get("assurance_level", "")
        rows = [("姓名", info.get("name", "")), ("实名等级", ASSURANCE_LABELS.get(level, level))]
        if "phone_number" in info:
            rows.append(("手机号码", info["phone_number"]))
        facts = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(str(v))}</dd>" for k, v in rows)
        logout = (f'<form method="post" action="/logout"><input type="hidden" name="csrf" '
                  f'value="{session["csrf"]}"><button type="submit">退出登录</button></form>')
        return "200 OK", _page("我的公积金", f"<p>您已通过一网通办登录。</p><dl>{facts}</dl>{logout}")

    def start_login(session, _environ):
        url, pending = rp.authorization_url()
        session["pending"] = pending
        return "302 Found", url

    def callback(session, environ):
        pending = session.pop("pending", None)
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        if pending is None:
            return "400 Bad Request", _page("登录失败", "<p>登录请求已过期，请重新登录。</p>" + login_link)
        try:
            session["login"] = rp.handle_callback(query, pending)
        except OidcError as exc:
            status = "403 Forbidden" if exc.code == "access_denied" else "400 Bad Request"
            return status, _page("登录失败", f"<p>{html.escape(exc.message)}</p>" + login_link)
        return "302 Found", "/"

    def logout(session, environ):
        size = int(environ.get("CONTENT_LENGTH") or 0)
        form = parse_qs(environ["wsgi.input"].read(min(size, 4096)).decode())
        if not secrets.compare_digest(form.get("csrf", [""])[0], session["csrf"]):
            return "403 Forbidden", _page("请求无效", "<p>请从本站页面退出。</p>")
        login: Login | None = session.pop("login", None)
        if login is None:
            return "302 Found", "/logged-out"
        return "302 Found", rp.logout_url(login.id_token)

    def logged_out(_session, _environ):
        return "200 OK", _page("已退出", "<p>您已退出登录，一网通办上的登录也已结束。</p>" + login_link)

    routes = {("GET", "/"): home, ("GET", "/login"): start_login, ("GET", "/callback"): callback,
              ("POST", "/logout"): logout, ("GET", "/logged-out"): logged_out}

    def app(environ, start_response):
        handler = routes.get((environ["REQUEST_METHOD"], environ.get("PATH_INFO", "/")))
        if handler is None:
            start_response("404 Not Found", [("Content-Type", "text/html; charset=utf-8")])
            return [_page("页面不存在", '<p><a href="/">返回首页</a></p>')]
        key, session = sessions.load(environ)
        was_logged_in = "login" in session
        try:
            status, result = handler(session, environ)
        except OidcError as exc:  # e.g. the provider is down
            status, result = "502 Bad Gateway", _page("暂时无法登录", f"<p>{html.escape(exc.message)}</p>")
        if "login" in session and not was_logged_in:
            key = sessions.rotate(key)
        elif "login" not in session and was_logged_in:
            sessions.clear(key)
        headers = [("Set-Cookie", f"{SESSION_COOKIE}={key}; Path=/; HttpOnly; SameSite=Lax"),
                   ("Cache-Control", "no-store")]
        if status.startswith("302"):
            start_response(status, [*headers, ("Location", result)])
            return [b""]
        start_response(status, [*headers, ("Content-Type", "text/html; charset=utf-8")])
        return [result]

    return app


def main() -> None:
    env = os.environ.get
    parser = argparse.ArgumentParser(description="长春公积金查询：一网通办统一身份认证接入示例")
    parser.add_argument("--issuer", default=env("RP_ISSUER", "http://127.0.0.1:8000/o"),
                        help="一网通办的签发方地址（发现文档所在处去掉 /.well-known/...）")
    parser.add_argument("--client-id", default=env("RP_CLIENT_ID"), required=not env("RP_CLIENT_ID"))
    parser.add_argument("--client-secret", default=env("RP_CLIENT_SECRET"),
                        help="机密客户端的密钥；公开客户端不填")
    parser.add_argument("--port", type=int, default=int(env("RP_PORT", "8001")))
    parser.add_argument("--base-url", default=env("RP_BASE_URL"),
                        help="浏览器访问本应用的地址，默认 http://127.0.0.1:端口")
    parser.add_argument("--scope", default=env("RP_SCOPES", "openid profile phone"))
    args = parser.parse_args()
    base = (args.base_url or f"http://127.0.0.1:{args.port}").rstrip("/")
    rp = RelyingParty(args.issuer, args.client_id, args.client_secret, f"{base}/callback",
                      post_logout_redirect_uri=f"{base}/logged-out", scopes=tuple(args.scope.split()))
    print(f"长春公积金查询（示例）: {base}/  签发方: {rp.issuer}  按 Ctrl+C 停止")
    with make_server("127.0.0.1", args.port, make_app(rp)) as server:
        server.serve_forever()


if __name__ == "__main__":
    main()
