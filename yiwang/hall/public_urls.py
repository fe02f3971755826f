"""Pages outside the workbench: booking (预约), the ticket page on a phone, the hall's calling
display and the self-service terminal (kiosk)."""

from .views import appointments, display, kiosk

app_name = "hall_public"

urlpatterns = [*appointments.public_urlpatterns, *display.public_urlpatterns,
               *kiosk.public_urlpatterns]
