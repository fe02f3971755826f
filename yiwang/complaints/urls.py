"""12345 pages of the portal (namespace ``complaints``): PC under /12345/, mobile under /m/12345/."""

from django.urls import path

from .views import attachments
from .views import portal as views

app_name = "complaints"
MOBILE = {"mobile": True}

PAGES = [
    ("", views.submit, "submit"),
    ("mine/", views.mine, "mine"),
    ("t/<str:token>/", views.by_token, "token"),
    ("<str:number>/submitted/", views.submitted, "submitted"),
    ("<str:number>/attachments/<str:pk>/", attachments.own_attachment, "attachment"),
    ("<str:number>/", views.detail, "detail"),
]

urlpatterns = [
    *[path(f"12345/{route}", view, name=page) for route, view, page in PAGES],
    *[path(f"m/12345/{route}", view, MOBILE, name=f"m_{page}") for route, view, page in PAGES],
]
