"""Public and citizen pages of 好差评 (namespace ``evaluation``): each part's own URL module."""

from django.urls import include, path  # noqa: F401 (the parts add their lines)

app_name = "evaluation"

urlpatterns = [
]
