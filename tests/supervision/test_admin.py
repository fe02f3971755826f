"""The admin shows the audit log and offers no way to change it, not even to a superuser."""

import pytest

from tests.factories import UserFactory
from yiwang.supervision import audit, checkpoints


@pytest.fixture
def root(db):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    user.save()
    return user


def test_superuser_reads_the_log_but_cannot_add_change_or_delete(client, root):
    entry = audit.record("case.accepted", actor=root, subject=root, summary="受理第一件")
    client.force_login(root)
    listing = client.get("/admin/supervision/auditrecord/")
    assert listing.status_code == 200
    assert "受理第一件" in listing.text and f"auth.user #{root.pk}" in listing.text
    assert client.get(f"/admin/supervision/auditrecord/{entry.pk}/change/").status_code == 200
    assert client.get("/admin/supervision/auditrecord/add/").status_code == 403
    assert client.post(f"/admin/supervision/auditrecord/{entry.pk}/change/",
                       {"summary": "改写"}).status_code == 403
    assert client.post(f"/admin/supervision/auditrecord/{entry.pk}/delete/",
                       {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.summary == "受理第一件"


def test_superuser_reads_the_checkpoints_but_cannot_add_change_or_delete(client, root, platform_seal):
    audit.record("case.accepted")
    checkpoint = checkpoints.create_checkpoint()
    client.force_login(root)
    assert checkpoint.head_hash in client.get("/admin/supervision/auditcheckpoint/").text
    assert client.get("/admin/supervision/auditcheckpoint/add/").status_code == 403
    assert client.post(f"/admin/supervision/auditcheckpoint/{checkpoint.pk}/delete/",
                       {"post": "yes"}).status_code == 403
