"""The admin lists the 12345 rules, deadlines and requests; a request is read-only there (its
changes go through the services, which keep the 流转记录 and the audit chain)."""

from __future__ import annotations

import pytest

from tests.clients import VerifiedClient
from tests.complaints.factories import HotlineWorld
from tests.factories import UserFactory


@pytest.fixture
def admin_client(db):
    user = UserFactory(username="root", is_superuser=True, is_staff=True)
    user.save()
    client = VerifiedClient()
    client.force_login(user)
    return client


def test_the_admin_lists_rules_deadlines_and_requests(admin_client):
    w = HotlineWorld()
    request = w.registered()
    for model in ("dispatchrule", "replydeadline", "hotlinerequest"):
        assert admin_client.get(f"/admin/complaints/{model}/").status_code == 200, model
    page = admin_client.get(f"/admin/complaints/hotlinerequest/{request.pk}/change/")
    assert page.status_code == 200 and request.number in page.content.decode()
    assert 'name="title"' not in page.content.decode()  # read-only
    assert admin_client.get("/admin/complaints/hotlinerequest/add/").status_code == 403
