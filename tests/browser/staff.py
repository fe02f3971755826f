"""Staff log in in the browser as a person does: password, then the code of their TOTP app."""

import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "correct-horse-battery"  # the factories set this password


def log_in(page, username: str, *, then: str = "/workbench/", password: str = PASSWORD) -> None:
    page.goto(f"/accounts/login/?next={then}")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/accounts/login/otp/**")
    device = TOTPDevice.objects.get(user__username=username)
    totp = TOTP(device.bin_key, step=device.step)
    # A used code is refused, and so is one more than ``tolerance`` steps ahead: a log-in soon
    # after others of the same person takes the next unused step, waiting for it if need be.
    unused = device.last_t + 1
    while unused - totp.t() > device.tolerance:
        time.sleep(1)
    totp.time = time.time() + max(0, unused - totp.t()) * device.step
    page.get_by_label("动态口令").fill(f"{totp.token():06d}")
    page.get_by_role("button", name="验证").click()
    page.wait_for_url(f"**{then}")
