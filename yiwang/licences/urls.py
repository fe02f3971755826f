from django.urls import path

from . import views

app_name = "licences"

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("mine/", views.mine, name="mine"),
    path("mine/<int:pk>/", views.licence_page, name="licence"),
    path("mine/<int:pk>/download/", views.licence_page, {"download": True}, name="download"),
    path("mine/<int:pk>/shares/", views.share_create, name="share-create"),
    path("mine/<int:pk>/shares/<int:share_pk>/revoke/", views.share_revoke, name="share-revoke"),
    path("shared/<str:token>/", views.shared, name="shared"),
]
