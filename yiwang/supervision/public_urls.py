"""审计链公示, mounted at /audit/ for everyone (no log-in)."""

from django.urls import path

from . import public_views

app_name = "audit"

urlpatterns = [
    path("checkpoints/", public_views.checkpoints_page, name="checkpoints"),
    path("checkpoints.json", public_views.checkpoints_json, name="checkpoints-json"),
    path("public-key.pem", public_views.public_key, name="public-key"),
]
