"""Staff pages of the hall, mounted under /workbench/hall/ so that the staff second factor
guards them."""

from .views import calling, figures, frontdesk, pickup, setup

app_name = "hall"

urlpatterns = [*setup.urlpatterns, *calling.urlpatterns, *frontdesk.urlpatterns,
               *pickup.urlpatterns, *figures.urlpatterns]
