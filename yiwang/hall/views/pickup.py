"""pickup pages."""

urlpatterns = []
