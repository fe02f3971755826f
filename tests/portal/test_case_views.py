"""The applicant's case pages: what they show in Chinese and what they change."""

import datetime as dt

from django.http.multipartparser import MultiPartParser
from django.utils import timezone

from tests.accounts.factories import company
from tests.cases.factories import FOOD_MATERIALS, pdf
from tests.factories import guide_data
from tests.portal.factories import publish_item
from yiwang.cases import deadlines, services
from yiwang.cases.models import Case, CaseFile, Status, TaskKind
from yiwang.cases.services.bundles import merged_form
from yiwang.supervision.models import AuditRecord


def _material(case, name):
    return case.version.materials.get(name=name)


def _upload(client, case, name, upload):
    return client.post(f"/cases/{case.pk}/files/", {"material": _material(case, name).pk,
                                                    "file": upload})


def _review(case, department):
    return case.tasks.get(kind=TaskKind.REVIEW, department=department)


# --- the guide page and starting an application ------------------------------------------------


def test_guide_page_offers_online_application_and_the_bundles_of_the_item(client, world):
    bundle = world.bundle()
    html = client.get(f"/items/{world.item.handling_code}/").content.decode()
    assert f'href="/items/{world.item.handling_code}/apply/">在线申请</a>' in html
    assert f'可作为一件事办理：<a href="/bundles/{bundle.slug}/">开办餐饮店</a>' in html
    mobile = client.get(f"/m/items/{world.item.handling_code}/").content.decode()
    assert "在线申请" in mobile and f'可作为一件事办理：<a href="/bundles/{bundle.slug}/">' in mobile


def test_guide_page_of_an_item_without_online_acceptance_has_no_apply_button(client, world):
    item = publish_item(world.market, **guide_data(name="窗口事项", online_depth=2))
    assert "在线申请" not in client.get(f"/items/{item.handling_code}/").content.decode()


def test_apply_starts_a_draft_and_opens_its_form(signed_in, world):
    assert "开始填写申请" in signed_in.get(f"/items/{world.item.handling_code}/apply/").content.decode()
    response = signed_in.post(f"/items/{world.item.handling_code}/apply/")
    case = Case.objects.get(applicant=world.user)
    assert case.status == Status.DRAFT and response.url == f"/cases/{case.pk}/edit/"


def test_apply_below_the_required_real_name_level_says_what_to_do(signed_in, world):
    item = publish_item(world.market, **guide_data(name="高等级事项", min_assurance_level=3))
    response = signed_in.post(f"/items/{item.handling_code}/apply/")
    html = response.content.decode()
    assert response.status_code == 403
    assert 'data-code="assurance.too_low"' in html and "需要实名等级" in html
    assert 'href="/accounts/me/">查看我的实名等级</a>' in html and "现场核验" in html
    assert not Case.objects.exists()


def test_apply_for_a_company_item_acts_for_the_chosen_company(signed_in, world):
    firm = company(world.applicant, "长春市净月小吃有限公司")
    item = publish_item(world.market, **guide_data(name="食品生产许可", audience="company"))
    assert "长春市净月小吃有限公司（法定代表人）" in signed_in.get(
        f"/items/{item.handling_code}/apply/").content.decode()
    refused = signed_in.post(f"/items/{item.handling_code}/apply/")
    assert refused.status_code == 400 and "请选择以哪个单位的名义申请" in refused.content.decode()
    signed_in.post(f"/items/{item.handling_code}/apply/", {"company": firm.pk})
    assert Case.objects.get(applicant=world.user).company == firm


def test_apply_for_an_item_offered_only_at_the_window_is_refused(signed_in, world):
    item = publish_item(world.market, **guide_data(name="窗口事项", online_depth=3))
    response = signed_in.post(f"/items/{item.handling_code}/apply/")
    assert response.status_code == 409 and "暂不支持网上申请" in response.content.decode()


# --- the draft ---------------------------------------------------------------------------------


def test_draft_page_renders_each_field_type_and_the_materials(signed_in, world):
    every_type = [{"name": t, "label": f"字段{t}", "type": t, "required": t == "text",
                   **({"options": ["甲", "乙"]} if t == "select" else {})}
                  for t in ("text", "textarea", "number", "date", "select", "checkbox", "id_number",
                            "uscc", "phone", "email")]
    item = publish_item(world.market, **guide_data(name="全字段事项", form_definition=every_type,
                                                   materials=FOOD_MATERIALS, commitment_allowed=True))
    case = services.start_application(world.user, item)
    html = signed_in.get(f"/cases/{case.pk}/edit/").content.decode()
    for snippet in ['<textarea id="id_textarea"', 'type="date"', 'inputmode="decimal"',
                    '<option value="乙">乙</option>', 'type="checkbox" name="checkbox"', 'type="tel"',
                    'type="email"', 'name="uscc"', "字段text", "承诺办理", 'name="commitment_text"',
                    "营业执照", "必要", "容缺", "非必要", 'accept=".pdf,.jpg,.jpeg,.png,.ofd"',
                    "单个文件不超过 20 MB", "保存草稿", "预审", "提交"]:
        assert snippet in html, snippet


def test_commitment_is_offered_only_when_the_guide_allows_it(signed_in, world):
    case = services.start_application(world.user, world.item)
    assert "承诺办理" not in signed_in.get(f"/cases/{case.pk}/edit/").content.decode()


def test_save_draft_keeps_what_was_typed(signed_in, world):
    case = services.start_application(world.user, world.item)
    response = signed_in.post(f"/cases/{case.pk}/edit/", {**world.form(), "action": "save"})
    assert response.url == f"/cases/{case.pk}/edit/"
    case.refresh_from_db()
    assert case.form_data["shop_name"] == "净月潭小吃店" and case.status == Status.DRAFT
    assert 'value="净月潭小吃店"' in signed_in.get(response.url).content.decode()


def test_prereview_lists_every_defect_at_once_next_to_its_field_and_material(signed_in, world):
    case = services.start_application(world.user, world.item)
    response = signed_in.post(f"/cases/{case.pk}/edit/", {"applicant_name": "王芳", "phone": "123",
                                                          "action": "check"})
    html = response.content.decode()
    assert "预审未通过，共 3 处需要修改" in html
    for message in ("请填写店铺名称", "联系电话应为11位手机号码", "缺少材料“营业执照”"):
        assert html.count(message) == 2, message  # in the summary and beside the field/material
    assert 'id="error-shop_name"' in html and "material-row has-error" in html


def test_prereview_passes_and_names_missing_tolerated_materials(signed_in, world):
    case = world.draft(files=("营业执照",))
    html = signed_in.post(f"/cases/{case.pk}/edit/", {**world.form(), "action": "check"}).content.decode()
    assert "预审通过，可以提交" in html and "健康证明" in html


def test_upload_stores_the_file_and_a_second_upload_replaces_it(signed_in, world):
    case = services.start_application(world.user, world.item)
    assert _upload(signed_in, case, "营业执照", pdf("执照.pdf")).status_code == 302
    _upload(signed_in, case, "营业执照", pdf("新执照.pdf"))
    files = CaseFile.objects.filter(case=case)
    assert [f.original_name for f in files] == ["新执照.pdf"]
    assert "已上传：新执照.pdf" in signed_in.get(f"/cases/{case.pk}/edit/").content.decode()


def test_a_refused_htmx_upload_answers_200_so_the_row_shows_the_message(signed_in, world):
    case = services.start_application(world.user, world.item)
    licence = _material(case, "营业执照")
    response = signed_in.post(f"/cases/{case.pk}/files/", {"material": licence.pk, "file": pdf("执照.exe")},
                              HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and f'id="material-error-{licence.pk}"' in html
    assert "类型不支持" in html


def test_wrong_file_type_is_refused_with_the_services_message(signed_in, world):
    case = services.start_application(world.user, world.item)
    response = _upload(signed_in, case, "营业执照", pdf("营业执照.docx"))
    assert response.status_code == 400
    assert "文件“营业执照.docx”的类型不支持，仅支持PDF、JPG、PNG、OFD" in response.content.decode()
    disguised = _upload(signed_in, case, "营业执照", pdf("执照.pdf", content=b"MZ\x90\x00 not a pdf"))
    assert "内容与扩展名不符" in disguised.content.decode()
    assert not CaseFile.objects.exists()


def test_oversized_request_is_refused_from_its_length_before_the_body_is_read(signed_in, world,
                                                                              monkeypatch):
    case = services.start_application(world.user, world.item)

    def must_not_parse(self):
        raise AssertionError("the body was read")

    monkeypatch.setattr(MultiPartParser, "parse", must_not_parse)
    response = signed_in.post(f"/cases/{case.pk}/files/", {"material": "1", "file": pdf()},
                              CONTENT_LENGTH=str(22 * 1024 * 1024))
    assert response.status_code == 413
    assert "每个文件不能超过20 MB" in response.content.decode()


def test_a_real_oversized_body_is_refused_and_nothing_is_stored(signed_in, world, settings):
    settings.CASE_MAX_UPLOAD_BYTES = 1024
    case = services.start_application(world.user, world.item)
    big = pdf("扫描件.pdf", content=b"%PDF-1.4\n" + b"0" * (25 * 1024 * 1024))
    response = _upload(signed_in, case, "营业执照", big)
    assert response.status_code == 413 and "每个文件不能超过1 KB" in response.content.decode()
    assert not CaseFile.objects.exists()


def test_a_file_over_the_limit_inside_a_small_request_gets_the_services_message(signed_in, world,
                                                                                settings):
    settings.CASE_MAX_UPLOAD_BYTES = 1024
    case = services.start_application(world.user, world.item)
    response = _upload(signed_in, case, "营业执照", pdf(content=b"%PDF-1.4\n" + b"0" * 4096))
    assert response.status_code == 413 and "上限" in response.content.decode()


def test_a_draft_file_can_be_deleted(signed_in, world):
    case = world.draft()
    case_file = case.files.get(material__name="健康证明")
    signed_in.post(f"/cases/{case.pk}/files/{case_file.pk}/delete/")
    assert not case.files.filter(pk=case_file.pk).exists()


# --- submitting --------------------------------------------------------------------------------


def test_submit_posted_twice_with_the_same_key_creates_one_case(signed_in, world):
    case = world.draft()
    response = signed_in.post(f"/cases/{case.pk}/edit/", {**world.form(), "action": "submit"})
    assert response.url == f"/cases/{case.pk}/submit/"
    html = signed_in.get(response.url).content.decode()
    assert "确认提交" in html and 'name="key"' in html
    key = html.split('name="key" value="')[1].split('"')[0]
    first = signed_in.post(f"/cases/{case.pk}/submit/", {"key": key})
    again = signed_in.post(f"/cases/{case.pk}/submit/", {"key": key})
    assert first.url == again.url == f"/cases/{case.pk}/receipt/"
    assert Case.objects.exclude(number=None).count() == 1
    assert Case.objects.get(pk=case.pk).events.filter(action="submit").count() == 1


def test_submit_with_defects_returns_to_the_form_listing_them(signed_in, world):
    case = world.draft(files=(), shop_name="")
    response = signed_in.post(f"/cases/{case.pk}/submit/", {"key": "k1"})
    html = response.content.decode()
    assert response.status_code == 400 and "共 2 处需要修改" in html
    assert "请填写店铺名称" in html and "缺少材料“营业执照”" in html
    assert Case.objects.get(pk=case.pk).status == Status.DRAFT


def test_receipt_lists_received_materials_with_masked_id_and_print_styles(signed_in, world):
    case = world.submitted()
    html = signed_in.get(f"/cases/{case.pk}/receipt/").content.decode()
    received = case.files.get(material__name="营业执照")
    for text in ("接件回执", case.number, "食品经营许可", "王芳", "吉林省市场监督管理局", "0431-12345",
                 "营业执照.pdf", received.sha256[:12], "10个工作日", "data-print", "css/portal_cases.css"):
        assert text in html, text
    assert world.applicant.id_number not in html
    assert world.applicant.id_number[:4] + "**********" + world.applicant.id_number[-4:] in html
    services.accept(case, world.acceptor)
    accepted = signed_in.get(f"/cases/{case.pk}/receipt/").content.decode()
    assert "受理回执" in accepted and "承诺办结日期" in accepted


# --- after submission --------------------------------------------------------------------------


def test_correction_requested_by_staff_is_fixed_and_resubmitted(signed_in, world):
    case = world.accepted()
    licence = _material(case, "营业执照")
    services.request_correction(case, world.examiner, [
        {"kind": "material", "target": str(licence.pk), "message": "营业执照已过期，请上传有效执照"},
        {"kind": "field", "target": "shop_name", "message": "店铺名称应与营业执照一致"},
    ])
    notice = signed_in.get(f"/cases/{case.pk}/correction-notice/").content.decode()
    assert "补正材料一次性告知书" in notice and "需要补正以下2项内容" in notice
    assert "营业执照已过期" in notice and "不计入办理时限" in notice
    detail = signed_in.get(f"/cases/{case.pk}/").content.decode()
    assert "请补正" in detail and "店铺名称应与营业执照一致" in detail
    edit = signed_in.get(f"/cases/{case.pk}/edit/").content.decode()
    assert "一次性告知：请补正以下内容" in edit and "提交补正" in edit

    early = signed_in.post(f"/cases/{case.pk}/resubmit/")
    assert early.status_code == 400 and "请重新上传“营业执照”" in early.content.decode()
    _upload(signed_in, case, "营业执照", pdf("新营业执照.pdf"))
    response = signed_in.post(f"/cases/{case.pk}/edit/", {**world.form(shop_name="净月潭小吃"),
                                                          "action": "submit"})
    assert response.url == f"/cases/{case.pk}/resubmit/"
    assert "确认提交补正材料" in signed_in.get(response.url).content.decode()
    signed_in.post(response.url)
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED and case.form_data["shop_name"] == "净月潭小吃"
    assert case.files.filter(material=licence, superseded=True).count() == 1


def test_withdraw_asks_for_confirmation_and_records_the_reason(signed_in, world):
    case = world.submitted()
    assert "撤回申请" in signed_in.get(f"/cases/{case.pk}/").content.decode()
    assert "确认撤回" in signed_in.get(f"/cases/{case.pk}/withdraw/").content.decode()
    signed_in.post(f"/cases/{case.pk}/withdraw/", {"reason": "店铺转让，不再经营"})
    case.refresh_from_db()
    assert case.status == Status.WITHDRAWN
    html = signed_in.get(f"/cases/{case.pk}/").content.decode()
    assert "店铺转让，不再经营" in html and "撤回申请</a>" not in html
    again = signed_in.post(f"/cases/{case.pk}/withdraw/")
    assert again.status_code == 409 and "不能撤回申请" in again.content.decode()


def test_tolerated_material_is_supplied_after_tolerated_acceptance(signed_in, world):
    case = services.accept(world.submitted(files=("营业执照",)), world.acceptor, tolerated=True,
                           tolerated_until=timezone.localdate() + dt.timedelta(days=10))
    html = signed_in.get(f"/cases/{case.pk}/").content.decode()
    assert "补交容缺材料" in html and "健康证明" in html
    health = _material(case, "健康证明")
    response = signed_in.post(f"/cases/{case.pk}/tolerated/", {"material": health.pk,
                                                               "file": pdf("健康证明.pdf")})
    assert response.url == f"/cases/{case.pk}/"
    assert case.files.filter(material=health).exists()
    assert case.events.filter(action="tolerated_supplied").exists()
    assert f'action="/cases/{case.pk}/tolerated/"' not in signed_in.get(response.url).content.decode()


def test_case_page_shows_history_parallel_review_and_a_rejection_opinion(signed_in, world):
    case = world.accepted()
    services.complete_review(_review(case, world.market), world.examiner, approve=True)
    services.complete_review(_review(case, world.health), world.health_examiner, approve=False,
                             opinion="后厨排水不符合卫生要求")
    html = signed_in.get(f"/cases/{case.pk}/").content.decode()
    for text in ("审查中", "部门审查中", "食品安全审查", "卫生审查", "吉林省卫生健康委员会", "同意", "不同意",
                 "意见：后厨排水不符合卫生要求", "提交申请", "受理", "王芳", "办件已受理",
                 "起算日（受理日）为", "承诺办结日期", f"/cases/{case.pk}/files/"):
        assert text in html, text


def test_case_page_marks_a_provisional_deadline(signed_in, world):
    case = world.accepted()
    Case.objects.filter(pk=case.pk).update(time_limit=300)  # into years without a holiday notice
    assert deadlines.compute(Case.objects.get(pk=case.pk)).provisional
    html = signed_in.get(f"/cases/{case.pk}/").content.decode()
    assert "暂定" in html and "放假安排尚未录入" in html


def test_applicant_downloads_their_file_as_an_attachment(signed_in, world):
    case = world.submitted()
    case_file = case.files.get(material__name="营业执照")
    response = signed_in.get(f"/cases/{case.pk}/files/{case_file.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


# --- 我的办件 ----------------------------------------------------------------------------------


def test_my_cases_lists_newest_first_with_next_step_due_warning_and_last_message(signed_in, world):
    late = world.accepted()
    draft = world.draft()  # after the submission: an open draft would be continued instead
    Case.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - dt.timedelta(days=3))
    html = signed_in.get("/cases/").content.decode()
    assert "共 2 件" in html and html.index(f"/cases/{draft.pk}/edit/") < html.index(late.number)
    assert "继续填写" in html and "等待部门审查" in html
    assert "warning-red" in html and "已超期" in html and "办件已受理" in html


def test_my_cases_filters_by_status_group_and_searches(signed_in, world):
    case = world.submitted()
    world.draft()
    html = signed_in.get("/cases/?status=open").content.decode()
    assert case.number in html and "继续填写" not in html
    assert case.number not in signed_in.get("/cases/?status=draft").content.decode()
    assert case.number in signed_in.get(f"/cases/?q={case.number[-6:]}").content.decode()
    assert "没有符合条件的办件" in signed_in.get("/cases/?q=护照").content.decode()
    assert signed_in.get("/cases/?page=0").status_code == 400


def test_my_cases_shows_bundle_cases_with_the_bundle_name(signed_in, world):
    application = services.start_bundle(world.user, world.bundle())
    html = signed_in.get("/cases/").content.decode()
    assert html.count("一件事：开办餐饮店") == 2
    assert f"/bundles/applications/{application.pk}/edit/" in html


def test_my_cases_issues_a_bounded_number_of_queries(signed_in, world, django_assert_max_num_queries):
    for _ in range(6):
        world.submitted()
    services.start_bundle(world.user, world.bundle())
    signed_in.get("/cases/")  # the working-day calendar is cached per process after first use
    with django_assert_max_num_queries(10):
        response = signed_in.get("/cases/")
    assert response.content.decode().count("data-case=") == 8


# --- 一件事 ------------------------------------------------------------------------------------


def test_bundle_page_describes_items_departments_and_merged_materials(client, world):
    world.bundle()
    html = client.get("/bundles/open-restaurant/").content.decode()
    for text in ("一件事：开办餐饮店", "食品经营许可", "公共场所卫生许可", "吉林省市场监督管理局",
                 "吉林省卫生健康委员会", "卫生管理制度", "座位数", "登录后在线申请"):
        assert text in html, text
    assert html.count("<td>营业执照</td>") == 1


def test_bundle_is_applied_for_with_one_form_and_fans_out_into_two_cases(signed_in, world):
    bundle = world.bundle()
    response = signed_in.post(f"/bundles/{bundle.slug}/apply/")
    application = bundle.applications.get()
    assert response.url == f"/bundles/applications/{application.pk}/edit/"
    html = signed_in.get(response.url).content.decode()
    assert html.count('name="shop_name"') == 1 and "座位数" in html
    signed_in.post(response.url, {**world.form(), "seats": "20", "action": "save"})
    keys = {m.name: m.key for m in merged_form(bundle.published_version).materials}
    for name in ("营业执照", "卫生管理制度"):
        signed_in.post(f"/bundles/applications/{application.pk}/files/",
                       {"material": keys[name], "file": pdf(f"{name}.pdf")})
    assert CaseFile.objects.filter(material__name="营业执照").count() == 2

    confirm = signed_in.get(f"/bundles/applications/{application.pk}/submit/").content.decode()
    key = confirm.split('name="key" value="')[1].split('"')[0]
    for _ in range(2):
        done = signed_in.post(f"/bundles/applications/{application.pk}/submit/", {"key": key})
    assert done.url == f"/bundles/applications/{application.pk}/"
    cases = list(application.cases.all())
    assert len(cases) == 2 and all(c.status == Status.RECEIVED and c.number for c in cases)
    progress = signed_in.get(done.url).content.decode()
    assert "办理中（已办结0/2项）" in progress
    assert all(c.number in progress for c in cases) and "等待受理" in progress


def test_bundle_submit_with_defects_lists_them_on_the_merged_form(signed_in, world):
    application = services.start_bundle(world.user, world.bundle())
    response = signed_in.post(f"/bundles/applications/{application.pk}/submit/", {"key": "b1"})
    html = response.content.decode()
    assert response.status_code == 400 and "请填写座位数" in html and "缺少材料“卫生管理制度”" in html
    assert not application.cases.exclude(status=Status.DRAFT).exists()


def test_history_shows_the_acting_department_never_a_staff_account(signed_in, world):
    case = world.accepted()
    services.complete_review(_review(case, world.health), world.health_examiner, approve=True)
    html = signed_in.get(f"/cases/{case.pk}/").content.decode()
    history = html[html.index("办理记录"):]
    assert "<td>吉林省市场监督管理局</td>" in history  # 受理 by the acceptor
    assert "<td>吉林省卫生健康委员会</td>" in history  # the parallel review of the health department
    assert "<td>王芳</td>" in history  # the applicant's own submission
    for account in ("acceptor", "health_examiner"):
        assert account not in html
    api = signed_in.get(f"/api/cases/{case.pk}").json()
    assert {e["actor_name"] for e in api["events"]} == {"王芳", "吉林省市场监督管理局",
                                                        "吉林省卫生健康委员会"}


def test_applying_again_continues_the_open_draft_instead_of_starting_another(signed_in, world):
    first = signed_in.post(f"/items/{world.item.handling_code}/apply/")
    page = signed_in.get(f"/items/{world.item.handling_code}/apply/").content.decode()
    assert "您有未提交的草稿" in page and f'href="{first.url}">继续填写</a>' in page
    again = signed_in.post(f"/items/{world.item.handling_code}/apply/")
    assert again.url == first.url
    assert Case.objects.filter(applicant=world.user, status=Status.DRAFT).count() == 1


def test_a_draft_is_deleted_with_its_files_after_confirmation_and_audited(signed_in, world):
    case = world.draft()
    detail = signed_in.get(f"/cases/{case.pk}/").content.decode()
    assert f'href="/cases/{case.pk}/delete/">删除草稿</a>' in detail
    assert "确认删除" in signed_in.get(f"/cases/{case.pk}/delete/").content.decode()
    response = signed_in.post(f"/cases/{case.pk}/delete/")
    assert response.url == "/cases/"
    assert not Case.objects.filter(pk=case.pk).exists() and not CaseFile.objects.filter(case_id=case.pk)
    record = AuditRecord.objects.get(kind="case.draft_deleted")
    assert (record.actor_id, record.summary) == (world.user.pk, "删除草稿：食品经营许可")


def test_only_the_applicants_own_drafts_can_be_deleted(client, signed_in, world):
    submitted = world.submitted()
    refused = signed_in.post(f"/cases/{submitted.pk}/delete/")
    assert refused.status_code == 409 and "只能删除草稿" in refused.content.decode()
    draft = world.draft()
    client.force_login(world.stranger.user)
    assert client.post(f"/cases/{draft.pk}/delete/").status_code == 404
    assert Case.objects.filter(pk__in=[submitted.pk, draft.pk]).count() == 2
