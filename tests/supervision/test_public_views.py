"""审计链公示: the checkpoints as JSON (keyset pages), the public key and the page, for anyone."""

from __future__ import annotations

import base64

import pytest
from django.urls import reverse

from tests.supervision.tampering import build_chain
from verifier import sm
from yiwang.seals.services import canonical_bytes, signed_message
from yiwang.supervision import checkpoints

# Every URL of the 审计链公示 is for anyone, signed in or not (tests/accounts/test_authorization.py).
AUDIT_PUBLIC_RULES = {f"audit:{name}": "public" for name in ("checkpoints", "checkpoints-json", "public-key")}


@pytest.fixture
def three_checkpoints(platform_seal):
    made = []
    for _ in range(3):
        build_chain(1)
        made.append(checkpoints.create_checkpoint(force=True))
    return made


def test_checkpoints_are_published_in_keyset_pages_with_a_link_to_the_next(client, three_checkpoints):
    first = client.get("/audit/checkpoints.json", {"limit": 2})
    assert first.status_code == 200 and first["Access-Control-Allow-Origin"] == "*"
    page = first.json()
    assert page["format"] == "yiwang.audit.checkpoints/1"
    assert [entry["data"]["seq"] for entry in page["checkpoints"]] == [c.seq for c in three_checkpoints[:2]]
    assert page["next_after"] == three_checkpoints[1].seq
    assert page["next"] == f"http://testserver/audit/checkpoints.json?after={three_checkpoints[1].seq}&limit=2"
    assert page["public_key"] == "http://testserver/audit/public-key.pem"
    last = client.get(page["next"]).json()
    assert [entry["data"]["seq"] for entry in last["checkpoints"]] == [three_checkpoints[2].seq]
    assert (last["next_after"], last["next"]) == (None, None)


def test_a_published_checkpoint_verifies_with_the_published_key(client, three_checkpoints):
    pem = client.get("/audit/public-key.pem")
    assert pem.status_code == 200 and pem["Content-Type"].startswith("text/plain")
    entry = client.get("/audit/checkpoints.json").json()["checkpoints"][0]
    assert sm.sm3_hex(canonical_bytes(entry["data"])) == entry["signature"]["data_hash"]
    assert sm.verify_sm2(pem.content.decode(), signed_message(entry["signature"]),
                         base64.b64decode(entry["signature"]["signature"]))


@pytest.mark.parametrize("query", [
    {"after": "-1"}, {"after": str(2**63)}, {"after": "1000000000000000000000000"}, {"after": "abc"},
    {"limit": "0"}, {"limit": "1001"}, {"limit": "1e3"},
])
def test_bad_paging_is_a_json_400_with_a_code(db, client, query):
    response = client.get("/audit/checkpoints.json", query)
    assert response.status_code == 400
    assert response.json()["code"] == "audit.checkpoints_page"


def test_without_a_platform_seal_the_key_is_a_clear_404_and_the_page_says_so(db, client):
    response = client.get("/audit/public-key.pem")
    assert response.status_code == 404
    assert "没有启用中的平台存证专用章" in response.content.decode()
    page = client.get("/audit/checkpoints/")
    assert page.status_code == 200
    assert "平台尚未制发平台存证专用章" in page.content.decode() and "还没有检查点" in page.content.decode()


def test_the_page_shows_the_latest_checkpoints_newest_first(client, three_checkpoints):
    html = client.get("/audit/checkpoints/").content.decode()
    positions = [html.index(checkpoint.head_hash) for checkpoint in reversed(three_checkpoints)]
    assert positions == sorted(positions)
    assert f"第 {three_checkpoints[1].seq} 条记录" in html  # the previous checkpoint of the newest
    assert "吉林省政务服务和数字化建设管理局平台存证专用章" in html


def test_every_public_audit_url_answers_an_anonymous_visitor(client, three_checkpoints):
    from yiwang.supervision.public_urls import urlpatterns

    assert {f"audit:{pattern.name}" for pattern in urlpatterns} == set(AUDIT_PUBLIC_RULES)
    for name in AUDIT_PUBLIC_RULES:
        assert client.get(reverse(name)).status_code == 200


def test_the_footer_links_to_the_page(db, client):
    footer = client.get("/licences/verify/").content.decode().split('<footer class="site-footer">')[1]
    assert '<a href="/audit/checkpoints/">审计链公示</a>' in footer
