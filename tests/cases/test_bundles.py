"""一件事 services: the merged form never loses a field, 预审 speaks the merged form's words,
submission fans out, and the combined result is sent once when every case is final."""

import pytest

from tests.cases.factories import FOOD_FORM, pdf
from tests.factories import guide_data
from tests.portal.factories import publish_bundle, publish_item
from yiwang.cases import services
from yiwang.cases.models import Status
from yiwang.common.errors import ValidationError
from yiwang.notify.models import Channel, Message

FOOD_CATEGORY = {"name": "category", "label": "经营项目", "type": "select", "required": True,
                 "options": ["热食类食品制售", "冷食类食品制售"]}
PLACE_CATEGORY = {"name": "category", "label": "场所类别", "type": "select", "required": True,
                  "options": ["宾馆、旅店", "其他"]}


def _conflicting_bundle(world, *, shared_fields=()):
    """Two items that both name a field ``category``, with different choices."""
    food = publish_item(world.market, **guide_data(
        name="食品经营许可", form_definition=[*FOOD_FORM[:3], FOOD_CATEGORY],
        materials=[{"name": "营业执照", "necessity": "required", "form": "electronic",
                    "source": "government"}]))
    place = publish_item(world.health, **guide_data(
        name="公共场所卫生许可", form_definition=[*FOOD_FORM[:3], PLACE_CATEGORY],
        materials=[{"name": "营业执照", "necessity": "required", "form": "electronic",
                    "source": "government"},
                   {"name": "卫生管理制度", "necessity": "required", "form": "electronic",
                    "source": "applicant"}]))
    return publish_bundle(world.market, [food, place], slug="conflict", name="开办餐饮店",
                          shared_fields=list(shared_fields)), food, place


def _fill_all(world, application, form):
    services.save_bundle_draft(application, world.user, form)
    for material in services.merged_form(application.version).materials:
        services.attach_bundle_file(application, world.user, material.key, pdf())


def test_a_field_name_with_two_meanings_stays_two_fields_and_each_case_gets_its_own(world):
    bundle, food, place = _conflicting_bundle(world)
    merged = services.merged_form(bundle.published_version)
    categories = [f for f in merged.fields if f["name"].startswith("category")]
    assert [(f["label"], f["options"]) for f in categories] == [
        ("经营项目", FOOD_CATEGORY["options"]), ("场所类别", PLACE_CATEGORY["options"])]
    assert [f["help"] for f in categories] == ["用于：食品经营许可", "用于：公共场所卫生许可"]
    application = services.start_bundle(world.user, bundle)
    _fill_all(world, application, {**world.form(), "category": "热食类食品制售", "category__2": "其他"})
    cases = services.submit_bundle(application, world.user)
    values = {c.item_id: c.form_data["category"] for c in cases}
    assert values == {food.pk: "热食类食品制售", place.pk: "其他"}
    assert all(c.status == Status.RECEIVED for c in cases)


def test_the_same_field_defined_the_same_way_is_asked_once(world):
    bundle, _, _ = _conflicting_bundle(world)
    names = [f["name"] for f in services.merged_form(bundle.published_version).fields]
    assert names.count("shop_name") == 1 and names.count("phone") == 1


def test_a_bundle_may_reconcile_a_field_explicitly_under_its_own_label(world):
    food = publish_item(world.market, **guide_data(
        name="甲", form_definition=[{**FOOD_CATEGORY, "options": ["其他", "热食类食品制售"]}]))
    place = publish_item(world.health, **guide_data(name="乙", form_definition=[PLACE_CATEGORY]))
    bundle = publish_bundle(world.market, [food, place], slug="reconciled", name="对账",
                            shared_fields=[{"name": "category", "label": "经营类别"}])
    [field] = services.merged_form(bundle.published_version).fields
    assert (field["name"], field["label"], field["options"]) == ("category", "经营类别", ["其他"])


def test_a_reconciled_select_without_a_common_choice_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        _conflicting_bundle(world, shared_fields=[{"name": "category", "label": "类别"}])
    assert refused.value.code == "bundle.invalid"
    assert "没有共同的选项" in refused.value.message


def test_prereview_lists_each_defect_once_in_the_merged_forms_terms(world):
    bundle, _, _ = _conflicting_bundle(world)
    application = services.start_bundle(world.user, bundle)
    review = services.check_bundle(application)
    merged = services.merged_form(application.version)
    shown = {f["name"]: f["label"] for f in merged.fields}
    fields = [d for d in review.defects if d["kind"] == "field"]
    assert all(shown[d["target"]] == d["label"] for d in fields)  # every field is on the form
    assert {d["target"] for d in fields} >= {"category", "category__2"}
    materials = [d["label"] for d in review.defects if d["kind"] == "material"]
    assert materials.count("营业执照") == 1 and "卫生管理制度" in materials
    assert len(review.defects) == len({(d["kind"], d["target"]) for d in review.defects})


def test_differently_named_materials_that_the_bundle_merges_are_uploaded_once(world):
    food = publish_item(world.market, **guide_data(name="甲", materials=[
        {"name": "从业人员健康证明", "necessity": "required", "form": "electronic", "source": "other"}]))
    place = publish_item(world.health, **guide_data(name="乙", materials=[
        {"name": "从业人员健康合格证明", "necessity": "required", "form": "electronic", "source": "other"}]))
    bundle = publish_bundle(world.market, [food, place], slug="merged", name="合并材料", material_groups=[
        {"name": "健康证明", "materials": ["从业人员健康证明", "从业人员健康合格证明"]}])
    [material] = services.merged_form(bundle.published_version).materials
    application = services.start_bundle(world.user, bundle)
    assert services.attach_bundle_file(application, world.user, material.key, pdf()) == 2


def _submitted_bundle(world):
    bundle = world.bundle()
    application = services.start_bundle(world.user, bundle)
    _fill_all(world, application, {**world.form(), "seats": "20"})
    services.submit_bundle(application, world.user)
    return application


def _result_notices(world):
    return Message.objects.filter(user=world.user, channel=Channel.INBOX, subject__contains="已全部办结")


def test_one_combined_result_is_sent_when_the_last_case_is_final(world, django_capture_on_commit_callbacks):
    application = _submitted_bundle(world)
    food, second = application.cases.order_by("pk")
    services.not_accept(second, world.acceptor, reason="不属于本窗口受理范围")
    assert not _result_notices(world).exists()
    assert [c.version.name for c in services.bundle_progress(application).remaining] == ["食品经营许可"]
    services.withdraw(food, world.user, "暂不开店")
    [notice] = _result_notices(world)
    assert "食品经营许可" in notice.body and "已撤回" in notice.body
    assert "公共场所卫生许可" in notice.body and "不予受理" in notice.body
    assert "不属于本窗口受理范围" in notice.body
    application.refresh_from_db()
    assert application.result_sent_at is not None
