from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "yiwang.accounts"
    label = "accounts"
    verbose_name = "统一身份认证"

    def ready(self) -> None:
        from . import signals  # noqa: F401
