from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/otp/", views.second_factor_view, name="otp"),
    path("otp/setup/", views.second_factor_setup, name="otp-setup"),
    path("logout/", views.logout_view, name="logout"),
    path("register/", views.register, name="register"),
    path("register/code/", views.send_register_code, name="register-code"),
    path("me/", views.me, name="me"),
    path("me/identity/", views.switch_identity, name="switch-identity"),
    path("companies/register/", views.company_register, name="company-register"),
    path("companies/<int:pk>/", views.company_detail, name="company"),
    path("companies/<int:pk>/agents/", views.agent_grant, name="agent-grant"),
    path("companies/<int:pk>/agents/<int:authorization_id>/revoke/", views.agent_revoke,
         name="agent-revoke"),
]
