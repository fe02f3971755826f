"""Huge integers on the pages: a page number or an id past what a database column holds is a 4xx
with the page's message, never a 500 (SQLite raised OverflowError or "datatype mismatch" on the
offset; PostgreSQL and MariaDB an out-of-range error). The API's side is in test_api_contract.py."""

import pytest
from django.contrib.auth import get_user_model

from yiwang.cases.models import CaseTask
from yiwang.common.forms import object_ids
from yiwang.common.pagination import MAX_PAGE

PAGE = 10**18
ID = 2**70


def _signed_in(client, username):
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.mark.parametrize(("username", "url"), [
    ("gaj_acceptor", "/workbench/cases/"),
    ("sup_province", "/workbench/cases/all/"),
    ("sup_province", "/workbench/security/events/"),
    ("admin_changchun", "/workbench/staff/"),
    ("gaj_editor", "/workbench/items/"),
    ("zsj_reviewer", "/workbench/review/"),
    ("gaj_acceptor", "/exchange/uses/"),
    ("gaj_acceptor", "/licences/mine/"),
    ("gaj_decider", "/workbench/licences/"),
    (None, "/search/?q=社保&"),
])
def test_a_page_number_past_any_database_is_refused(demo, client, username, url):
    joiner = "&" if "?" in url else "?"
    answer = _signed_in(client, username).get(f"{url.rstrip('&')}{joiner}page={PAGE}")
    assert answer.status_code == 400
    assert "页码" in answer.content.decode()


def test_the_last_allowed_page_is_an_empty_page(demo, client):
    answer = _signed_in(client, "gaj_acceptor").get(f"/workbench/cases/?page={MAX_PAGE}")
    assert answer.status_code == 200


def test_claiming_a_task_of_a_huge_id_claims_nothing(demo, client):
    claimed = CaseTask.objects.filter(claimed_at__isnull=False).count()
    answer = _signed_in(client, "gaj_acceptor").post("/workbench/cases/claim/", {"task": [str(ID)]})
    assert answer.status_code == 400
    assert "请先勾选要认领的任务" in answer.content.decode()
    assert CaseTask.objects.filter(claimed_at__isnull=False).count() == claimed


@pytest.mark.parametrize(("values", "ids"), [
    (["1", "42", str(2**63 - 1)], [1, 42, 2**63 - 1]),
    ([str(2**63), str(ID), "0", "-1", "x", "１２", "9" * 5000, ""], []),
])
def test_object_ids_keep_what_a_primary_key_can_be(values, ids):
    assert object_ids(values) == ids
