"""kiosk pages."""

public_urlpatterns = []
