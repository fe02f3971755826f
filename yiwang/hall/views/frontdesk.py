"""frontdesk pages."""

urlpatterns = []
