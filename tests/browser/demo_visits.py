"""The demo's people in the browser, shared by the walk-throughs on ``load_demo``'s data: the demo
accounts, log-ins with the demo password, screenshots at two widths, the 390 px check, and a
clerk filling a case at the window."""

from __future__ import annotations

import os
from pathlib import Path

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests import demodata
from tests.browser.staff import log_in
from yiwang.cases.prereview import online_materials
from yiwang.catalog.models import Necessity
from yiwang.demo.loader import DEMO_PASSWORD

SHOTS = os.environ.get("YIWANG_WALKTHROUGH_SHOTS")
PHONE = {"width": 390, "height": 844}


def user(username: str):
    """A demo account by its log-in name."""
    return get_user_model().objects.get(username=username)


def fits_the_phone(page) -> bool:
    """At 390 px the page scrolls only down."""
    page.set_viewport_size(PHONE)
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def citizen(visitor, login: str, then: str = "/cases/"):
    """A new browser page of a demo citizen, logged in by mobile or ID number, at ``then``."""
    page = visitor()
    page.goto(f"/accounts/login/?next={then}")
    page.get_by_label("身份证号 / 手机号").fill(login)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"**{then}")
    return page


def staff(visitor, username: str, then: str = "/workbench/cases/"):
    """A new browser page of a demo staff member, past the second factor, at ``then``."""
    page = visitor()
    log_in(page, username, then=then, password=DEMO_PASSWORD)
    return page


def shot(page, name: str) -> None:
    """Screenshots of the page at desktop width and 390 px wide, when YIWANG_WALKTHROUGH_SHOTS
    names a directory."""
    if not SHOTS:
        return
    folder = Path(SHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    desktop = page.viewport_size
    page.screenshot(path=folder / f"{name}-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=folder / f"{name}-390.png", full_page=True)
    page.set_viewport_size(desktop)


def fill_case_at_the_window(page, case, values: dict, tmp_path: Path) -> None:
    """On the window's case page: the form filled with ``values`` (by field name) and saved, a
    scan uploaded for every material that is not optional, and the pre-review passed."""
    form = page.locator("#case-form")
    for field in case.version.form_definition:
        box, value = form.locator(f"#id_{field['name']}"), values[field["name"]]
        if field["type"] == "checkbox":
            box.check()
        elif field["type"] == "select":
            box.select_option(str(value))
        else:
            box.fill(str(value))
    page.get_by_role("button", name="保存").click()
    scan = tmp_path / "扫描件.pdf"
    scan.write_bytes(demodata.MATERIAL_PDF)
    for material in online_materials(case.version):
        if material.necessity == Necessity.OPTIONAL:
            continue
        row = page.locator(f"#material-{material.pk}")
        row.locator("input[type=file]").set_input_files(str(scan))
        row.get_by_role("button", name="上传").click()
        expect(page.locator(f"#material-{material.pk}")).to_contain_text("已上传：扫描件.pdf")
    page.get_by_role("button", name="预审").click()
    expect(page.locator(".notice-ok")).to_contain_text("预审通过")
