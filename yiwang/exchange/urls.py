from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("uses/", views.uses, name="uses"),
]
