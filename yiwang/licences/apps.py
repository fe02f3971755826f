"""Electronic licences (电子证照, GB/T 36904 style): licence types, the licences issued and sealed
at 制证, their status and history, the holder's wallet (我的证照) with time-limited share links, and
public verification by identifier or by the signed payload of the licence's QR code."""

from django.apps import AppConfig


class LicencesConfig(AppConfig):
    name = "yiwang.licences"
    label = "licences"
    verbose_name = "电子证照"

    def ready(self) -> None:
        from . import receivers  # noqa: F401
