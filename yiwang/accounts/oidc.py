"""The OpenID Connect claims (统一身份认证 for other channels): which scope reveals what. A relying
party gets only what its scopes name and the user consented to on the consent page.

Also the flows a relying party may use (authorization code with PKCE S256, refresh tokens
rotated with replay detection; see the ``COMPLIANT_BCP_RFC9700_*`` settings for the rest of
RFC 9700), and the one way an administrator registers a relying party (``register_client``),
which the ``register_oidc_client`` command calls."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from oauth2_provider.models import AbstractApplication, get_application_model, get_refresh_token_model
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.validators import AllowedURIValidator

from yiwang.common.errors import ValidationError
from yiwang.supervision import audit

from .models import AuthEvent
from .services import citizen_of, companies_of, record_event


def _companies(user) -> list[dict]:
    return [{"uscc": company.uscc, "name": company.name,
             "role": "legal_representative" if authorization is None else "agent",
             "valid_until": authorization.valid_until.isoformat() if authorization else None}
            for company, authorization in companies_of(user)]


def _of_citizen(read):
    """A claim read from the user's Citizen record; None (so left out) for staff accounts."""
    def claim(request):
        citizen = citizen_of(request.user)
        return None if citizen is None else read(citizen)
    return claim


# The one grant an application may be registered for. The implicit and hybrid flows put tokens
# in the browser's front channel, the password grant hands the user's password to the client
# (RFC 9700 §2.1.2, §2.4); client credentials and the device flow serve nothing here.
ALLOWED_GRANT_TYPE = AbstractApplication.GRANT_AUTHORIZATION_CODE
# What the token endpoint accepts: the code exchange and the refresh of its tokens.
TOKEN_ENDPOINT_GRANTS = frozenset({"authorization_code", "refresh_token"})
GRANT_TYPE_REFUSED = ("只允许授权码模式（authorization-code，并使用 PKCE S256）；"
                      "隐式、密码等模式不安全，已停用")


def check_grant_type(application) -> None:
    """Refuse an application registered for any grant but the authorization code, whichever
    way it is saved (admin form, ``register_client``, the shell: a ``pre_save`` guard)."""
    if application.authorization_grant_type != ALLOWED_GRANT_TYPE:
        raise DjangoValidationError({"authorization_grant_type": GRANT_TYPE_REFUSED})


class ClaimsValidator(OAuth2Validator):
    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "name": "profile",
        "identity_type": "profile",
        "assurance_level": "profile",
        "phone_number": "phone",
        "phone_number_verified": "phone",
        "id_number": "id_card",
        "companies": "company",
    }

    def get_additional_claims(self):
        # The request-agnostic form (callables, no ``request`` argument): DOT then lists these
        # claims in the discovery document's claims_supported, and evaluates a claim only when
        # its scope was granted, so the company queries run only for the company scope.
        return {
            "name": lambda r: (citizen.name if (citizen := citizen_of(r.user))
                               else r.user.get_full_name() or r.user.get_username()),
            "identity_type": lambda r: "natural_person" if citizen_of(r.user) else "staff",
            "assurance_level": _of_citizen(lambda c: f"L{c.assurance_level}"),
            "phone_number": _of_citizen(lambda c: c.mobile),
            "phone_number_verified": _of_citizen(lambda c: True),
            "id_number": _of_citizen(lambda c: c.id_number),
            "companies": lambda r: _companies(r.user),
        }

    def get_oidc_claims(self, token, token_handler, request):
        # OIDC Core 5.3.2: a claim without a value is left out, not sent as null.
        claims = super().get_oidc_claims(token, token_handler, request)
        return {name: value for name, value in claims.items() if value is not None}

    def validate_response_type(self, client_id, response_type, client, request, *args, **kwargs):
        # Only ``code``: no token or ID token straight from the authorization endpoint, even for
        # an application row that was written around check_grant_type.
        return response_type == "code" and super().validate_response_type(
            client_id, response_type, client, request, *args, **kwargs)

    def validate_grant_type(self, client_id, grant_type, client, request, *args, **kwargs):
        return grant_type in TOKEN_ENDPOINT_GRANTS and super().validate_grant_type(
            client_id, grant_type, client, request, *args, **kwargs)

    def validate_bearer_token(self, token, scopes, request):
        # RFC 9700 §4.3.2: an access token in a URL ends up in logs, histories and Referer
        # headers. The toolkit's own gate covers its protected-resource views but not the
        # userinfo endpoint, which reaches here: only a token from the Authorization header.
        header = request.headers.get("Authorization", "")
        if not token or header.partition(" ")[2].strip() != token:
            return False
        return super().validate_bearer_token(token, scopes, request)

    def validate_refresh_token(self, refresh_token, client, request, *args, **kwargs):
        """A refresh token that was already exchanged (rotated) and comes back is a replay:
        the client or an attacker holds a stolen copy. django-oauth-toolkit then revokes the
        whole token family (REFRESH_TOKEN_REUSE_PROTECTION); the replay is recorded in the
        audit chain, naming the application, the user and the family. (A token that was
        revoked, not rotated, is refused without a record: log-out revokes them all.)"""
        checksum = hashlib.sha256(refresh_token.encode()).hexdigest()
        rotated = (get_refresh_token_model().objects
                   .filter(token_checksum=checksum, application=client, revoked__isnull=False,
                           token_family__isnull=False,
                           refreshed_access_token__isnull=False)
                   .order_by("-revoked").first())
        valid = super().validate_refresh_token(refresh_token, client, request, *args, **kwargs)
        if not valid and rotated is not None:
            audit.record("oidc.refresh_token_replayed", subject=client,
                         summary=f"{client.name}：已使用过的刷新令牌被再次使用，已撤销该授权的全部令牌",
                         data={"client_id": client.client_id, "user_id": rotated.user_id,
                               "token_family": str(rotated.token_family)},
                         ip=request.headers.get("REMOTE_ADDR"))
        return valid

    def save_authorization_code(self, client_id, code, request, *args, **kwargs):
        # Reached once the user has pressed 同意 on the consent page (or, for a client an
        # administrator marked skip_authorization, on every authorization): audit the consent.
        super().save_authorization_code(client_id, code, request, *args, **kwargs)
        scopes = settings.OAUTH2_PROVIDER["SCOPES"]
        record_event(AuthEvent.Kind.SSO_AUTHORIZED, user=request.user,
                     ip=request.headers.get("REMOTE_ADDR"),
                     user_agent=request.headers.get("HTTP_USER_AGENT", ""),
                     detail=f"{request.client.name}：" + "、".join(scopes.get(s, s)
                                                                 for s in request.scopes))


# --- client registration ---------------------------------------------------------------------


@dataclass(frozen=True)
class RegisteredClient:
    application: object
    client_secret: str | None  # the plaintext, for confidential clients; stored only hashed


def register_client(*, name: str, redirect_uris: list[str], post_logout_redirect_uris=(),
                    public: bool = False) -> RegisteredClient:
    """登记第三方应用: an administrator registers a relying party for the authorization-code flow
    with PKCE and RS256-signed ID tokens. Users always see the consent page.

    Confidential clients get a secret, returned here in plaintext once: DOT hashes it on save.
    Raises ValidationError when a name or URI is missing or not allowed."""
    Application = get_application_model()
    name = (name or "").strip()
    if not name:
        raise ValidationError("请填写应用名称", code="oidc.name_required")
    if not redirect_uris:
        raise ValidationError("请至少填写一个回调地址", code="oidc.redirect_uri_required")
    application = Application(
        name=name, redirect_uris=" ".join(redirect_uris),
        post_logout_redirect_uris=" ".join(post_logout_redirect_uris),
        client_type=Application.CLIENT_PUBLIC if public else Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        algorithm=Application.RS256_ALGORITHM, skip_authorization=False)
    secret = None if public else application.client_secret
    if public:
        application.client_secret = ""
    try:
        application.full_clean()
        _check_post_logout_uris(application, post_logout_redirect_uris)
    except DjangoValidationError as exc:
        raise ValidationError("应用登记信息不符合要求：" + "；".join(exc.messages),
                              code="oidc.client_invalid", details={"reasons": exc.messages}) from exc
    application.save()
    return RegisteredClient(application=application, client_secret=secret)


def _check_post_logout_uris(application, uris) -> None:
    # DOT checks these only when a log-out arrives; an administrator should hear it now.
    validate = AllowedURIValidator(application.get_allowed_schemes(), name="退出后回调地址",
                                   allow_path=True, allow_query=True)
    for uri in uris:
        validate(uri)
        # OIDC_RP_INITIATED_LOGOUT_STRICT_REDIRECT_URIS: a public client may not come back over http.
        if application.client_type == application.CLIENT_PUBLIC and uri.startswith("http:"):
            raise DjangoValidationError(f"公开客户端的退出后回调地址必须使用 https：{uri}")
