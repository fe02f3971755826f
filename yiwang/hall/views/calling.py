"""calling pages."""

urlpatterns = []
