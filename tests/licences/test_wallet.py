"""我的证照: the holder's list, the printable licence and its download, and share links that
expire and that the holder can revoke."""

import re

import pytest

from tests.accounts.factories import company
from yiwang.licences import services
from yiwang.licences.models import Licence, ShareLink


@pytest.fixture
def licence(sealed):
    return sealed.licence()


def test_wallet_lists_delivered_licences_with_masked_numbers(client, sealed, licence):
    undelivered = Licence.objects.get(case=sealed.certified())
    client.force_login(sealed.user)
    page = client.get("/licences/mine/").content.decode()
    assert licence.identifier in page and undelivered.identifier not in page
    assert licence.holder_id_number not in page


def test_the_licence_page_shows_seal_qr_and_fields(client, sealed, licence):
    client.force_login(sealed.user)
    page = client.get(f"/licences/mine/{licence.pk}/").content.decode()
    assert licence.identifier in page and "净月潭小吃店" in page and "店铺名称" in page
    seal = page[page.index('<div class="licence-seal">'):]
    seal = seal[:seal.index("</svg>")]
    # The drawn impression: the ring, the department's name glyph by glyph on the arc, the star
    # and the seal's name across, beside the issuer's lines rather than over them.
    assert "<circle" in seal and "<polygon" in seal and ">电子证照专用章</text>" in seal
    assert all(f">{char}</text>" in seal for char in "吉林省市场监督管理局")
    assert 'aria-label="吉林省市场监督管理局电子证照专用章"' in seal
    assert page.index("签发日期") < page.index('<div class="licence-seal">')
    assert licence.holder_id_number not in page
    assert " style=" not in page  # the CSP forbids inline styles
    download = client.get(f"/licences/mine/{licence.pk}/download/")
    assert download["Content-Disposition"] == f'attachment; filename="{licence.identifier}.html"'


def test_a_company_licence_is_in_its_legal_representatives_wallet(client, sealed, licence):
    firm = company(sealed.applicant, name="净月潭小吃有限公司")
    Licence.objects.filter(pk=licence.pk).update(holder_user=None, holder_company=firm)
    client.force_login(sealed.user)
    assert licence.identifier in client.get("/licences/mine/").content.decode()


def _share(client, licence, **data) -> str:
    answer = client.post(f"/licences/mine/{licence.pk}/shares/", {"days": 7, "note": "房东", **data})
    assert answer.status_code == 201, answer.content.decode()
    return re.search(r"/licences/shared/([\w-]+)/", answer.content.decode())[0]


def test_a_share_link_opens_for_anyone_until_revoked(client, sealed, licence):
    client.force_login(sealed.user)
    link = _share(client, licence)
    assert len(ShareLink.objects.get().token_hash) == 64
    assert link.split("/")[-2] not in ShareLink.objects.get().token_hash
    client.logout()
    page = client.get(link)
    assert page.status_code == 200 and "净月潭小吃店" in page.content.decode()
    assert 'data-code="licence.valid"' in page.content.decode()
    client.force_login(sealed.user)
    share = ShareLink.objects.get()
    revoked = client.post(f"/licences/mine/{licence.pk}/shares/{share.pk}/revoke/")
    assert revoked.status_code == 302
    client.logout()
    gone = client.get(link)
    assert gone.status_code == 410 and "已被持证人撤销" in gone.content.decode()


def test_an_expired_share_link_is_gone(client, sealed, licence, later):
    client.force_login(sealed.user)
    link = _share(client, licence, days=1)
    later(2)
    gone = client.get(link)
    assert gone.status_code == 410 and "失效" in gone.content.decode()


def test_an_unknown_share_token_is_not_found(client, licence):
    assert client.get("/licences/shared/nonsense/").status_code == 404


@pytest.mark.parametrize("days", ["0", "31", "abc"])
def test_share_days_are_bounded(client, sealed, licence, days):
    client.force_login(sealed.user)
    answer = client.post(f"/licences/mine/{licence.pk}/shares/", {"days": days})
    assert answer.status_code == 400 and not ShareLink.objects.exists()


def test_a_revoked_licence_cannot_be_shared(client, sealed, licence):
    services.revoke_licence(licence, actor=sealed.certifier, reason="违法经营")
    client.force_login(sealed.user)
    answer = client.post(f"/licences/mine/{licence.pk}/shares/", {"days": 3})
    assert answer.status_code == 409 and "已注销" in answer.content.decode()
