"""The OpenID Connect provider's endpoints, and only those: authorization (code + PKCE), token,
revocation, discovery, JWKS, userinfo and RP-initiated log-out. django-oauth-toolkit's
self-service application pages, device flow and dynamic client registration stay unmounted:
clients are registered by an administrator (admin or ``manage.py register_oidc_client``)."""

from django.urls import path
from oauth2_provider import urls as dot_urls
from oauth2_provider import views

app_name = "oauth2_provider"
urlpatterns = [
    path("authorize/", views.AuthorizationView.as_view(), name="authorize"),
    path("token/", views.TokenView.as_view(), name="token"),
    path("revoke_token/", views.RevokeTokenView.as_view(), name="revoke-token"),
    *dot_urls.oidc_urlpatterns,
]
