"""Staff pages of the hall, mounted under /workbench/hall/ so that the staff second factor
guards them."""

from .views import calling, figures, frontdesk, pickup, setup, terminals

app_name = "hall"

urlpatterns = [*setup.urlpatterns, *calling.urlpatterns, *frontdesk.urlpatterns,
               *pickup.urlpatterns, *terminals.urlpatterns, *figures.urlpatterns]
