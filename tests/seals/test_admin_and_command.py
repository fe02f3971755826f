"""The admin shows seals read only and never a private key; operators make seals with a command."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.seals.conftest import png_bytes
from yiwang.seals import services
from yiwang.seals.models import Seal


def test_the_admin_shows_a_seal_read_only_without_its_private_key(client, world, seal):
    client.force_login(world.root)
    change_url = reverse("admin:seals_seal_change", args=[seal.pk])

    listing = client.get(reverse("admin:seals_seal_changelist"))
    page = client.get(change_url)
    assert listing.status_code == page.status_code == 200
    assert seal.seal_code in listing.text
    assert "BEGIN PUBLIC KEY" in page.text
    assert "PRIVATE KEY" not in page.text and "私钥" not in page.text
    assert 'name="_save"' not in page.text
    assert client.post(change_url, {"name": "改名"}).status_code == 403
    assert client.get(reverse("admin:seals_seal_add")).status_code == 403
    assert client.post(reverse("admin:seals_seal_delete", args=[seal.pk]), {"post": "yes"}).status_code == 403
    assert Seal.objects.get(pk=seal.pk).name == seal.name


def test_the_admin_lists_uses_read_only(client, world, seal, licence_data):
    services.sign(seal, licence_data, actor=world.certifier, purpose="核发食品经营许可证")
    client.force_login(world.root)

    listing = client.get(reverse("admin:seals_sealuse_changelist"))
    assert listing.status_code == 200 and "核发食品经营许可证" in listing.text
    assert client.get(reverse("admin:seals_sealuse_add")).status_code == 403


def test_the_command_makes_a_seal_and_prints_only_the_public_key(world, tmp_path, capsys):
    image = tmp_path / "seal.png"
    image.write_bytes(png_bytes())

    call_command("create_seal", "--department", world.market.uscc, "--name", "公章",
                 "--kind", "official", "--image", str(image), "--valid-from", "2026-01-01",
                 "--valid-until", "2099-12-31", "--actor", "market_admin")
    out = capsys.readouterr().out
    seal = Seal.objects.get()
    assert seal.seal_code in out and seal.public_key_pem in out
    assert "PRIVATE" not in out


@pytest.mark.parametrize(("change", "message"), [
    ({"--department": "91220000000000000X"}, "没有统一社会信用代码"),
    ({"--actor": "certifier"}, "部门管理员"),
    ({"--actor": "nobody"}, "没有用户名"),
    ({"--image": "/nonexistent/seal.png"}, "无法读取印模图像"),
])
def test_the_command_explains_what_is_wrong(world, tmp_path, change, message):
    image = tmp_path / "seal.png"
    image.write_bytes(png_bytes())
    options = {"--department": world.market.uscc, "--name": "公章", "--kind": "official",
               "--image": str(image), "--valid-from": "2026-01-01", "--valid-until": "2099-12-31",
               "--actor": "market_admin", **change}

    with pytest.raises(CommandError, match=message):
        call_command("create_seal", *[part for pair in options.items() for part in pair])
    assert not Seal.objects.exists()
