"""The test client every test gets as ``client``."""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from yiwang.orgs.services import is_staff_member


class VerifiedClient(Client):
    """``force_login`` skips the password, and here the second factor too: a staff member gets a
    session already verified with a TOTP device (enrolled on the spot if they had none). Tests
    of the log-in itself post the real forms instead (tests/accounts)."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        if is_staff_member(user):
            device, _ = TOTPDevice.objects.get_or_create(
                user=user, confirmed=True, defaults={"name": "测试"})
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
