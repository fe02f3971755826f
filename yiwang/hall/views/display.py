"""display pages."""

public_urlpatterns = []
