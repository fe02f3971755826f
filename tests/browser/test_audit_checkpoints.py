"""审计链公示 in a real browser, on the demo: a visitor follows the footer link to the page that
explains the checkpoints, sees the one the demo signed, fetches the public key and the JSON, and
the stand-alone verifier proves the demo's records with exactly what the site served."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command
from playwright.sync_api import expect

from tests.verifier.test_audit import verify
from yiwang.supervision.models import AuditCheckpoint

PHONE = {"width": 390, "height": 844}


def test_a_visitor_finds_reads_and_checks_the_published_checkpoints(visitor, demo_site, tmp_path):
    checkpoint = AuditCheckpoint.objects.order_by("-seq").first()
    page = visitor()
    page.goto("/")
    page.locator("footer").get_by_role("link", name="审计链公示").click()
    page.wait_for_url("**/audit/checkpoints/")
    expect(page.get_by_role("heading", level=1)).to_have_text("审计链公示")
    expect(page.get_by_role("heading", name="检查点是什么")).to_be_visible()
    expect(page.locator("main")).to_contain_text("吉林省政务服务和数字化建设管理局平台存证专用章")
    latest = page.locator(".checkpoint-list li").first
    expect(latest).to_contain_text(f"第 {checkpoint.seq} 条记录")
    expect(latest.locator(".hash")).to_have_text(checkpoint.head_hash)
    expect(latest).to_contain_text("无（首个检查点）")

    # On a phone the 64-digit hash and the command wrap instead of widening the page.
    page.set_viewport_size(PHONE)
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    expect(latest.locator(".hash")).to_be_visible()

    key = page.request.get(page.get_by_role("link", name="平台签名公钥（PEM）").get_attribute("href"))
    assert key.ok and key.text().startswith("-----BEGIN PUBLIC KEY-----")
    document = page.request.get(page.get_by_role("link", name="全部检查点（JSON，按 after 参数分页）")
                                .get_attribute("href")).json()
    assert document["checkpoints"][0]["data"]["head_hash"] == checkpoint.head_hash

    (tmp_path / "platform.pem").write_text(key.text())
    (tmp_path / "checkpoints-0.json").write_text(json.dumps(document, ensure_ascii=False))
    call_command("export_audit", output=str(tmp_path / "records.jsonl"), last=checkpoint.seq,
                 stderr=StringIO())
    result = verify(tmp_path)
    assert result.code == 0, result.out + result.err
    assert f"第 1 至 {checkpoint.seq} 条记录未被改动" in result.out
