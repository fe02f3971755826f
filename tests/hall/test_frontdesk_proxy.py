import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.cases.factories import PDF
from yiwang.accounts.models import AssuranceLevel
from yiwang.cases.models import Case, Status
from yiwang.common.errors import Conflict, NotFound, PermissionDenied, ValidationError
from yiwang.hall.models import HallMember, HallRole
from yiwang.hall.services import frontdesk, proxy
from yiwang.seals import crypto
from yiwang.seals import services as seals

from .frontdesk_fixtures import hall_fixture, user  # noqa: F401 (fixture)
from .test_frontdesk_services import fill


def scan():
    return SimpleUploadedFile("授权书.pdf", PDF, content_type="application/pdf")


@pytest.fixture
def granted(hall):
    hall.seal()
    hall.proxy_user = user("dbry_qianjin")
    hall.proxy_user.first_name = "赵代办"
    hall.proxy_user.save()
    HallMember.objects.create(hall=hall.hall, user=hall.proxy_user, role=HallRole.PROXY)
    hall.authorization = proxy.grant_proxy(
        hall.clerk, principal=hall.walk_in, proxy=hall.proxy_user, hall=hall.hall,
        item_codes=[hall.world.item.basic_code],
        valid_until=timezone.localdate() + dt.timedelta(days=30), document=scan())
    return hall


def test_the_scan_is_kept_with_its_sm3_and_the_platform_seal_signs_the_record(granted):
    authorization = granted.authorization
    assert authorization.document_sm3 == crypto.sm3_hex(PDF)
    assert authorization.document.read() == PDF
    signature = json.loads(authorization.signature)
    assert seals.verify(proxy.signed_data(authorization), signature).ok
    authorization.item_codes = ["000000000000"]
    assert not seals.verify(proxy.signed_data(authorization), signature).ok


def test_a_case_made_under_the_authorisation_records_it_and_its_history_shows_the_proxy(granted):
    assert granted.walk_in.assurance_level == AssuranceLevel.REGISTRY_VERIFIED  # not present
    case = frontdesk.start_window_application(granted.clerk, granted.window, granted.walk_in,
                                              granted.hall_item, proxy=granted.authorization)
    case = frontdesk.accept_at_window(granted.clerk, granted.window, fill(granted, case))
    assert case.proxy_authorization == granted.authorization
    submitted = case.events.get(action="submit")
    assert (submitted.on_behalf, submitted.data["proxy"]) == ("李娜", "赵代办")
    assert submitted.data["proxy_authorization"] == granted.authorization.pk


def test_an_authorisation_out_of_scope_expired_revoked_or_of_someone_else_is_refused(granted):
    item = granted.world.item
    authorization = granted.authorization
    authorization.item_codes = ["220100000001"]
    authorization.save()
    with pytest.raises(PermissionDenied) as caught:
        frontdesk.start_window_application(granted.clerk, granted.window, granted.walk_in,
                                           granted.hall_item, proxy=authorization)
    assert caught.value.code == "proxy.out_of_scope"
    authorization.item_codes = [item.basic_code]
    authorization.valid_until = timezone.localdate() - dt.timedelta(days=1)
    authorization.save()
    with pytest.raises(PermissionDenied) as caught:
        frontdesk.start_window_application(granted.clerk, granted.window, granted.walk_in,
                                           granted.hall_item, proxy=authorization)
    assert caught.value.code == "proxy.expired"
    authorization.valid_until = timezone.localdate()
    authorization.save()
    with pytest.raises(NotFound) as caught:
        frontdesk.start_window_application(granted.clerk, granted.window, granted.world.applicant,
                                           granted.hall_item, proxy=authorization)
    assert caught.value.code == "proxy.wrong_principal"
    proxy.revoke_proxy(granted.clerk, authorization)
    with pytest.raises(PermissionDenied) as caught:
        frontdesk.start_window_application(granted.clerk, granted.window, granted.walk_in,
                                           granted.hall_item, proxy=authorization)
    assert caught.value.code == "proxy.revoked"
    with pytest.raises(Conflict):
        proxy.revoke_proxy(granted.clerk, authorization)
    assert not Case.objects.exists()


def test_only_the_halls_staff_register_and_only_its_clerks_or_proxies_are_named(granted):
    kwargs = {"principal": granted.walk_in, "hall": granted.hall,
              "item_codes": [granted.world.item.basic_code],
              "valid_until": timezone.localdate() + dt.timedelta(days=30)}
    with pytest.raises(PermissionDenied) as caught:
        proxy.grant_proxy(granted.other_clerk, proxy=granted.proxy_user, document=scan(), **kwargs)
    assert caught.value.code == "permission.hall_role_required"
    with pytest.raises(ValidationError) as caught:
        proxy.grant_proxy(granted.clerk, proxy=granted.other_clerk, document=scan(), **kwargs)
    assert caught.value.code == "proxy.not_hall_staff"
    with pytest.raises(ValidationError) as caught:
        proxy.grant_proxy(granted.clerk, proxy=granted.proxy_user, document=scan(),
                          **{**kwargs, "item_codes": ["220100000001"]})
    assert caught.value.code == "proxy.item_not_stationed"
    with pytest.raises(ValidationError) as caught:
        proxy.grant_proxy(granted.clerk, proxy=granted.proxy_user, document=scan(),
                          **{**kwargs, "valid_until": timezone.localdate() + dt.timedelta(days=400)})
    assert caught.value.code == "proxy.until_too_far"
    with pytest.raises(ValidationError) as caught:
        proxy.grant_proxy(granted.clerk, proxy=granted.proxy_user, **kwargs,
                          document=SimpleUploadedFile("授权书.pdf", b"not a pdf"))
    assert caught.value.code == "case.file_content"
    with pytest.raises(NotFound):
        proxy.revoke_proxy(granted.other_clerk, granted.authorization)
    assert granted.authorization.__class__.objects.count() == 1


def test_revoked_authorisations_keep_their_cases(granted):
    case = frontdesk.start_window_application(granted.clerk, granted.window, granted.walk_in,
                                              granted.hall_item, proxy=granted.authorization)
    proxy.revoke_proxy(granted.clerk, granted.authorization)
    case.refresh_from_db()
    assert case.proxy_authorization_id == granted.authorization.pk and case.status == Status.DRAFT
