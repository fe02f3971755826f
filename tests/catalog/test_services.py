import pytest

from tests.factories import DepartmentFactory, guide_data, staff
from yiwang.catalog import services
from yiwang.catalog.guide import guide_to_dict
from yiwang.catalog.models import GuideVersion, ServiceItem, VersionEvent, VersionStatus
from yiwang.common.errors import Conflict, NotFound, PermissionDenied, ValidationError
from yiwang.orgs.models import Role


@pytest.fixture
def item(department, editor):
    return services.create_item(department=department, item_type="01", level="2",
                                guide=guide_data(), actor=editor)


def publish(item, editor, reviewer):
    version = item.versions.get(status=VersionStatus.DRAFT)
    services.submit_version(version, actor=editor)
    services.approve_version(version, actor=reviewer)
    return services.publish_version(version, actor=reviewer)


def test_create_item_generates_consistent_codes(item, department):
    assert item.basic_code == "220111001000"
    assert item.implementation_code == f"{department.uscc}2{item.basic_code}"
    assert item.handling_code == item.implementation_code + "01"
    assert item.region == department.region
    draft = item.versions.get()
    assert (draft.number, draft.status, draft.name) == (1, "draft", "居民身份证换领")
    assert draft.materials.count() == 2


def test_sequence_numbers_increase_per_department_and_type(item, department, editor):
    second = services.create_item(department=department, item_type="01", level="2",
                                  guide=guide_data(name="临时居民身份证"), actor=editor)
    other_type = services.create_item(department=department, item_type="20", level="2",
                                      guide=guide_data(name="户籍证明"), actor=editor)
    assert second.basic_code == "220111002000"
    assert other_type.basic_code == "222011001000"


def test_explicit_basic_code_must_match_department(department, editor):
    with pytest.raises(ValidationError) as exc:
        services.create_item(department=department, item_type="01", level="2",
                             guide=guide_data(), actor=editor, basic_code="220199001000")
    assert exc.value.code == "item_code.department_mismatch"
    assert not ServiceItem.objects.exists()


def test_duplicate_code_is_refused(item, department, editor):
    with pytest.raises(Conflict) as exc:
        services.create_item(department=department, item_type="01", level="2",
                             guide=guide_data(), actor=editor, basic_code=item.basic_code)
    assert exc.value.code == "item_code.duplicate"


def test_invalid_guide_lists_every_problem_and_writes_nothing(department, editor):
    bad = guide_data(name="", promised_time_limit=90, online_depth=9,
                     materials=[{"name": "", "necessity": "maybe"}])
    with pytest.raises(ValidationError) as exc:
        services.create_item(department=department, item_type="01", level="2", guide=bad,
                             actor=editor)
    errors = exc.value.details["errors"]
    assert "请填写事项名称" in errors
    assert "承诺办结时限不能超过法定办结时限" in errors
    assert any("网上办理深度" in e for e in errors)
    assert any("第1项材料的必要性" in e for e in errors)
    assert not ServiceItem.objects.exists()


def test_only_department_editors_create_items(department, reviewer):
    other_dept = DepartmentFactory(code="12")
    outsider = staff(other_dept, Role.CATALOG_EDITOR)
    for user in (reviewer, outsider):
        with pytest.raises(PermissionDenied):
            services.create_item(department=department, item_type="01", level="2",
                                 guide=guide_data(), actor=user)


def test_full_review_flow_publishes_and_records_history(item, editor, reviewer):
    version = publish(item, editor, reviewer)
    item.refresh_from_db()
    assert item.published_version == version
    assert version.status == VersionStatus.PUBLISHED and version.published_at
    actions = list(version.events.values_list("action", "actor__username"))
    assert actions == [("created", "editor"), ("submitted", "editor"), ("approved", "reviewer"),
                       ("published", "reviewer")]


def test_reviewer_cannot_approve_own_draft(department, editor):
    both = staff(department, Role.CATALOG_EDITOR, Role.CATALOG_REVIEWER)
    item = services.create_item(department=department, item_type="01", level="2",
                                guide=guide_data(), actor=both)
    version = item.versions.get()
    services.submit_version(version, actor=both)
    with pytest.raises(PermissionDenied) as exc:
        services.approve_version(version, actor=both)
    assert exc.value.code == "guide.self_review"
    version.refresh_from_db()
    assert version.status == VersionStatus.SUBMITTED


def test_reviewer_who_edited_cannot_approve(item, department, editor):
    both = staff(department, Role.CATALOG_EDITOR, Role.CATALOG_REVIEWER)
    version = item.versions.get()
    services.update_draft(version, guide_data(conditions="修改后的条件"), actor=both)
    services.submit_version(version, actor=editor)
    with pytest.raises(PermissionDenied):
        services.approve_version(version, actor=both)


def test_illegal_transitions_are_refused(item, editor, reviewer):
    version = item.versions.get()
    with pytest.raises(Conflict) as exc:
        services.publish_version(version, actor=reviewer)
    assert exc.value.code == "guide.illegal_transition"
    with pytest.raises(Conflict):
        services.approve_version(version, actor=reviewer)


def test_reject_sends_back_to_draft_with_reason(item, editor, reviewer):
    version = item.versions.get()
    services.submit_version(version, actor=editor)
    with pytest.raises(ValidationError):
        services.reject_version(version, actor=reviewer, comment=" ")
    services.reject_version(version, actor=reviewer, comment="材料清单不完整")
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT
    assert version.events.last().comment == "材料清单不完整"


def test_editing_published_item_makes_new_draft_and_keeps_public_version(item, editor, reviewer):
    v1 = publish(item, editor, reviewer)
    draft = services.start_revision(item, actor=editor)
    assert (draft.number, draft.status) == (2, VersionStatus.DRAFT)
    assert guide_to_dict(draft) == guide_to_dict(v1)
    services.update_draft(draft, guide_data(promised_time_limit=10), actor=editor)
    edit = draft.events.get(action=VersionEvent.Action.EDITED)
    assert edit.changes == {"promised_time_limit": [20, 10]}
    item.refresh_from_db()
    assert item.published_version == v1
    assert services.start_revision(item, actor=editor) == draft
    services.submit_version(draft, actor=editor)
    services.approve_version(draft, actor=reviewer)
    services.publish_version(draft, actor=reviewer)
    item.refresh_from_db()
    v1.refresh_from_db()
    assert item.published_version == draft
    assert v1.status == VersionStatus.SUPERSEDED


def test_published_versions_cannot_be_edited(item, editor, reviewer):
    version = publish(item, editor, reviewer)
    with pytest.raises(Conflict):
        services.update_draft(version, guide_data(name="改名"), actor=editor)
    assert GuideVersion.objects.get(pk=version.pk).name == "居民身份证换领"


def test_withdrawn_item_is_not_public(item, editor, reviewer):
    publish(item, editor, reviewer)
    services.withdraw_item(item, actor=reviewer, reason="法律依据废止")
    with pytest.raises(NotFound) as exc:
        services.get_published_item(item.handling_code)
    assert exc.value.code == "item.withdrawn"
    with pytest.raises(Conflict):
        services.withdraw_item(item, actor=reviewer, reason="再次撤回")


def test_lookup_by_malformed_or_unknown_code(item):
    with pytest.raises(ValidationError) as exc:
        services.get_item_by_code("123")
    assert exc.value.code == "item_code.length"
    with pytest.raises(NotFound) as exc:
        services.get_published_item(item.handling_code)
    assert exc.value.code == "item.not_published"
    unknown = item.handling_code[:-2] + "99"
    with pytest.raises(NotFound) as exc:
        services.get_item_by_code(unknown)
    assert exc.value.code == "item.not_found"


def test_over_long_material_fields_are_refused_before_the_database(department, editor):
    materials = [{"name": "材" * 201, "exemption_source": "x" * 101}]
    with pytest.raises(ValidationError) as exc:
        services.create_item(department=department, item_type="01", level="2",
                             guide=guide_data(materials=materials), actor=editor)
    assert "第1项材料的材料名称不能超过200个字符" in exc.value.details["errors"]
    assert "第1项材料的免提交来源不能超过100个字符" in exc.value.details["errors"]
