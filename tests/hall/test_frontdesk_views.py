import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.cases.factories import PDF, pdf
from yiwang.accounts.models import AssuranceLevel, ProxyAuthorization
from yiwang.cases.models import Case, Status, TaskKind
from yiwang.hall.models import HallMember, HallRole, Window, WindowCase, WindowKind

from .frontdesk_fixtures import hall_fixture, sign_in, user  # noqa: F401 (fixture)


def login(client, who):
    client.force_login(who)
    return client


def test_a_clerk_not_signed_in_is_told_so(client, hall):
    login(client, user("nobody"))
    response = client.get("/workbench/hall/frontdesk/")
    assert response.status_code == 403
    assert "请先签入窗口" in response.content.decode()


def test_the_desk_reads_a_card_starts_fills_and_accepts_an_application(client, hall):
    company_person = hall.world.applicant  # 王芳: applies for herself here
    login(client, hall.clerk)
    page = client.get("/workbench/hall/frontdesk/").content.decode()
    assert "读卡器模拟" in page and "读取身份证" in page
    response = client.post("/workbench/hall/frontdesk/", {
        "action": "read", "name": company_person.name, "id_number": company_person.id_number})
    assert response.status_code == 302
    page = client.get("/workbench/hall/frontdesk/").content.decode()
    assert company_person.id_number not in page  # masked
    assert company_person.id_number[-4:] in page and "食品经营许可" in page
    company_person.refresh_from_db()
    assert company_person.assurance_level == AssuranceLevel.IN_PERSON
    response = client.post("/workbench/hall/frontdesk/", {
        "action": "start", "hall_item": hall.hall_item.pk, "delivery_method": "window"})
    case = Case.objects.get()
    assert response.url == f"/workbench/hall/frontdesk/cases/{case.pk}/"
    form = {**hall.world.form(), "delivery_method": "window"}
    for material in case.version.materials.filter(name__in=("营业执照", "健康证明")):
        response = client.post(response.url, {**form, "upload": material.pk,
                                               f"file-{material.pk}": pdf()})
        assert response.status_code == 302
    page = client.post(f"/workbench/hall/frontdesk/cases/{case.pk}/",
                       {**form, "action": "check"}).content.decode()
    assert "预审通过" in page
    response = client.post(f"/workbench/hall/frontdesk/cases/{case.pk}/", {**form, "action": "accept"})
    assert response.url == f"/workbench/hall/frontdesk/cases/{case.pk}/receipt/"
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED
    receipt = client.get(response.url).content.decode()
    assert "受理回执" in receipt and case.number in receipt and "并联审查" in receipt
    assert "窗口领取" in receipt
    # The back office reads in the history who took it in, for whom and where.
    login(client, hall.world.examiner)
    history = client.get(f"/workbench/cases/{case.pk}/").content.decode()
    assert "（代王芳）〔窗口〕：提交申请" in history


def test_a_card_with_a_bad_check_digit_or_expired_is_refused_on_the_page(client, hall):
    login(client, hall.clerk)
    number = hall.walk_in.id_number
    bad = number[:17] + ("0" if number[17] != "0" else "1")
    response = client.post("/workbench/hall/frontdesk/", {"action": "read", "name": "李娜",
                                                          "id_number": bad})
    assert response.status_code == 400
    assert "校验位不正确" in response.content.decode()
    response = client.post("/workbench/hall/frontdesk/", {
        "action": "read", "name": "李娜", "id_number": number,
        "valid_until": (timezone.localdate() - dt.timedelta(days=1)).isoformat()})
    assert response.status_code == 400 and "已于" in response.content.decode()
    hall.walk_in.refresh_from_db()
    assert hall.walk_in.assurance_level == AssuranceLevel.REGISTRY_VERIFIED


def test_the_prereview_and_one_time_notice_list_every_defect(client, hall):
    login(client, hall.clerk)
    client.post("/workbench/hall/frontdesk/", {"action": "read", "name": "李娜",
                                               "id_number": hall.walk_in.id_number})
    client.post("/workbench/hall/frontdesk/", {"action": "start", "hall_item": hall.hall_item.pk})
    case = Case.objects.get()
    response = client.post(f"/workbench/hall/frontdesk/cases/{case.pk}/", {"action": "accept"})
    assert response.status_code == 400
    assert "预审未通过" in response.content.decode()
    notice = client.post(f"/workbench/hall/frontdesk/cases/{case.pk}/",
                         {"action": "notice", "note": "请带齐材料"}).content.decode()
    assert "一次性告知书" in notice and "店铺名称" in notice and "营业执照" in notice


def test_another_halls_case_is_not_found(client, hall):
    login(client, hall.clerk)
    client.post("/workbench/hall/frontdesk/", {"action": "read", "name": "李娜",
                                               "id_number": hall.walk_in.id_number})
    client.post("/workbench/hall/frontdesk/", {"action": "start", "hall_item": hall.hall_item.pk})
    case = Case.objects.get()
    login(client, hall.other_clerk)
    assert client.get(f"/workbench/hall/frontdesk/cases/{case.pk}/").status_code == 404


def test_originals_are_checked_and_the_case_accepted_at_the_window(client, hall):
    material = hall.world.item.published_version.materials.get(name="营业执照")
    material.form = "both"
    material.save()
    online = hall.world.submitted()
    login(client, hall.clerk)
    lookup = {"number": online.number, "id_number": hall.world.applicant.id_number}
    page = client.post("/workbench/hall/frontdesk/originals/", {**lookup, "action": "find"})
    assert "营业执照" in page.content.decode()
    page = client.post("/workbench/hall/frontdesk/originals/",
                       {**lookup, "action": "check", "material": [material.pk]})
    assert "已核验原件" in page.content.decode()
    assert WindowCase.objects.filter(case=online, action="originals_checked").exists()
    response = client.post(f"/workbench/hall/frontdesk/cases/{online.pk}/accept/")
    assert response.status_code == 302
    online.refresh_from_db()
    assert online.status == Status.ACCEPTED
    assert online.tasks.filter(kind=TaskKind.REVIEW).count() == 2


def test_a_proxy_authorisation_is_registered_and_revoked(client, hall):
    hall.seal()
    member = HallMember.objects.create(hall=hall.hall, user=user("dbry"), role=HallRole.PROXY)
    login(client, hall.clerk)
    response = client.post("/workbench/hall/frontdesk/proxies/", {
        "id_number": hall.walk_in.id_number, "proxy": member.pk,
        "item_codes": [hall.world.item.basic_code],
        "valid_until": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        "document": SimpleUploadedFile("授权书.pdf", PDF, content_type="application/pdf")})
    assert response.status_code == 302
    authorization = ProxyAuthorization.objects.get()
    page = client.get("/workbench/hall/frontdesk/proxies/").content.decode()
    assert "李娜" in page and hall.walk_in.id_number not in page and "有效" in page
    client.post("/workbench/hall/frontdesk/proxies/", {"action": "revoke",
                                                       "authorization": authorization.pk})
    authorization.refresh_from_db()
    assert authorization.revoked_at is not None


def test_a_proxy_applies_for_an_absent_principal_only_with_an_authorisation(client, hall):
    hall.seal()
    member = HallMember.objects.create(hall=hall.hall, user=user("dbry2"), role=HallRole.PROXY)
    login(client, hall.clerk)
    client.post("/workbench/hall/frontdesk/proxies/", {
        "id_number": hall.walk_in.id_number, "proxy": member.pk,
        "item_codes": [hall.world.item.basic_code],
        "valid_until": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        "document": SimpleUploadedFile("授权书.pdf", PDF, content_type="application/pdf")})
    authorization = ProxyAuthorization.objects.get()
    client.post("/workbench/hall/frontdesk/", {"action": "principal",
                                               "principal_id": hall.walk_in.id_number})
    response = client.post("/workbench/hall/frontdesk/", {"action": "start",
                                                          "hall_item": hall.hall_item.pk})
    assert response.status_code == 403 and "读取办事人的身份证" in response.content.decode()
    response = client.post("/workbench/hall/frontdesk/", {
        "action": "start", "hall_item": hall.hall_item.pk, "proxy": authorization.pk})
    case = Case.objects.get()
    assert case.proxy_authorization == authorization
    hall.walk_in.refresh_from_db()
    assert hall.walk_in.assurance_level == AssuranceLevel.REGISTRY_VERIFIED


def test_a_village_proxy_registers_authorisations_at_the_consult_window_only(client, hall):
    hall.seal()
    consult = Window.objects.create(hall=hall.hall, number="9", name="咨询帮办",
                                    kind=WindowKind.CONSULT)
    helper = user("dbry3")
    member = HallMember.objects.create(hall=hall.hall, user=helper, role=HallRole.PROXY)
    sign_in(helper, consult)
    login(client, helper)
    assert client.get("/workbench/hall/frontdesk/").status_code == 403  # no 一窗受理 here
    response = client.post("/workbench/hall/frontdesk/proxies/", {
        "id_number": hall.walk_in.id_number, "proxy": member.pk,
        "item_codes": [hall.world.item.basic_code],
        "valid_until": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        "document": SimpleUploadedFile("授权书.pdf", PDF, content_type="application/pdf")})
    assert response.status_code == 302
    assert ProxyAuthorization.objects.get().created_by == helper
