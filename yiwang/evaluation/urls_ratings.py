"""Part A's public and citizen pages: the invitation link, rating an event, 我的评价, 综合点评."""

from django.urls import path

from . import rating_views as views

urlpatterns = [
    path("rate/<str:token>/", views.rate_by_token, name="rate-token"),
    path("evaluation/rate/<str:event_key>/", views.rate_event, name="rate"),
    path("evaluation/mine/", views.mine, name="mine"),
    path("evaluation/overall/", views.overall, name="overall"),
]
