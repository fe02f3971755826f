"""Pages outside the workbench: booking (预约), the ticket page on a phone, the hall's calling
display, the self-service terminal (kiosk) and the window pad (评价器)."""

from .views import appointments, display, kiosk, pad

app_name = "hall_public"

urlpatterns = [*appointments.public_urlpatterns, *display.public_urlpatterns,
               *kiosk.public_urlpatterns, *pad.public_urlpatterns]
