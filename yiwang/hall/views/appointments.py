"""appointments pages."""

public_urlpatterns = []
