"""自助终端管理 pages (/workbench/hall/terminals/): a hall manager sees and revokes the terminals
of their hall only, and sees a new terminal's secret once."""

from __future__ import annotations

import pytest

from tests.clients import VerifiedClient
from yiwang.hall.models import Terminal, TerminalStatus
from yiwang.hall.services import terminals

LIST = "/workbench/hall/terminals/"


@pytest.fixture
def world(kiosk_world):
    return kiosk_world


def signed_in(user):
    client = VerifiedClient()
    client.force_login(user)
    return client


def test_the_manager_sees_the_terminals_of_their_hall(world):
    terminals.register_terminal(world.other_manager, name="朝阳1号机", hall=world.other_hall,
                                location="朝阳大厅")
    page = signed_in(world.manager).get(LIST).content.decode()
    assert world.terminal.code in page and "一楼1号机" in page
    assert "朝阳1号机" not in page
    assert world.hall.name in page and world.other_hall.name not in page  # the hall choice too


def test_registering_shows_the_secret_once(world):
    client = signed_in(world.manager)
    answer = client.post(LIST, {"hall": world.hall.pk, "name": "二楼自助机", "location": "二楼西侧"})
    assert answer.status_code == 201
    terminal = Terminal.objects.get(name="二楼自助机")
    page = answer.content.decode()
    secret = page.split("data-terminal-secret>")[1].split("<")[0]
    assert terminals.authenticate(terminal.code, secret) == terminal
    assert secret not in client.get(LIST).content.decode()


def test_registering_for_a_hall_one_does_not_manage_is_refused(world):
    answer = signed_in(world.manager).post(LIST, {"hall": world.other_hall.pk, "name": "x",
                                                  "location": "y"})
    assert answer.status_code == 404 and "请选择您管理的大厅" in answer.content.decode()
    assert Terminal.objects.count() == 1


def test_a_missing_name_is_said_on_the_page(world):
    answer = signed_in(world.manager).post(LIST, {"hall": world.hall.pk, "name": "", "location": "y"})
    assert answer.status_code == 400 and "请填写终端名称" in answer.content.decode()


def test_revoking_from_the_list(world):
    client = signed_in(world.manager)
    listed = client.get(LIST).content.decode()
    # Asked twice: 停用 only opens the form whose button says what it does.
    assert f"确认停用 {world.terminal.code}" in listed and "须重新登记才能再用" in listed
    answer = client.post(f"{LIST}{world.terminal.pk}/revoke/")
    assert answer.status_code == 302
    assert Terminal.objects.get(pk=world.terminal.pk).status == TerminalStatus.REVOKED
    assert "已停用终端" in client.get(LIST).content.decode()


def test_another_halls_manager_cannot_revoke(world):
    answer = signed_in(world.other_manager).post(f"{LIST}{world.terminal.pk}/revoke/")
    assert answer.status_code == 404
    assert Terminal.objects.get(pk=world.terminal.pk).status == TerminalStatus.ACTIVE


def test_a_clerk_of_the_hall_manages_no_terminal(world):
    client = signed_in(world.clerk)
    answer = client.get(LIST)
    assert answer.status_code == 403 and "只有大厅管理员可以管理自助终端" in answer.content.decode()
    assert client.post(f"{LIST}{world.terminal.pk}/revoke/").status_code == 404
    assert Terminal.objects.get(pk=world.terminal.pk).status == TerminalStatus.ACTIVE


def test_anonymous_visitors_are_sent_to_log_in(world):
    answer = VerifiedClient().get(LIST)
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]
