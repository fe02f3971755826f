"""The material-level comparison behind the version diff (catalog.guide.diff_materials)."""

from hypothesis import given
from hypothesis import strategies as st

from yiwang.catalog.guide import compare_guides, diff_materials

ID_CARD = {"name": "居民身份证", "necessity": "required", "form": "paper", "paper_copies": 1}
HOUSEHOLD = {"name": "户口簿", "necessity": "required", "form": "electronic", "paper_copies": 0}
PHOTO = {"name": "近期免冠照片", "necessity": "required", "form": "paper", "paper_copies": 2}


def statuses(result):
    return [(r["status"], r["name"]) for r in result]


def test_identical_lists_are_unchanged():
    assert statuses(diff_materials([ID_CARD, HOUSEHOLD], [ID_CARD, HOUSEHOLD])) == [
        ("unchanged", "居民身份证"), ("unchanged", "户口簿")]


def test_added_removed_and_changed_rows_are_told_apart():
    changed = {**HOUSEHOLD, "necessity": "tolerated"}
    result = diff_materials([ID_CARD, HOUSEHOLD], [changed, PHOTO])
    assert statuses(result) == [("changed", "户口簿"), ("added", "近期免冠照片"),
                                ("removed", "居民身份证")]
    assert result[0]["fields"] == {"necessity": ["required", "tolerated"]}
    assert (result[0]["old_position"], result[0]["new_position"]) == (2, 1)
    assert result[1]["old"] is None and result[2]["new"] is None


def test_reordering_alone_is_not_a_change():
    result = diff_materials([ID_CARD, HOUSEHOLD], [HOUSEHOLD, ID_CARD])
    assert [r["status"] for r in result] == ["unchanged", "unchanged"]
    assert [(r["old_position"], r["new_position"]) for r in result] == [(2, 1), (1, 2)]


def test_renamed_material_is_removed_plus_added():
    renamed = {**ID_CARD, "name": "居民身份证原件"}
    assert statuses(diff_materials([ID_CARD], [renamed])) == [
        ("added", "居民身份证原件"), ("removed", "居民身份证")]


def test_materials_of_the_same_name_pair_in_order():
    second_copy = {**PHOTO, "paper_copies": 4}
    result = diff_materials([PHOTO, PHOTO], [PHOTO, second_copy])
    assert [r["status"] for r in result] == ["unchanged", "changed"]
    assert result[1]["fields"] == {"paper_copies": [2, 4]}


material = st.fixed_dictionaries({
    "name": st.sampled_from(["居民身份证", "户口簿", "照片", "营业执照"]),
    "necessity": st.sampled_from(["required", "optional", "tolerated"]),
    "paper_copies": st.integers(0, 3),
})


@given(st.lists(material, max_size=6), st.lists(material, max_size=6))
def test_every_row_of_both_lists_is_accounted_for_once(old, new):
    result = diff_materials(old, new)
    kept = [r for r in result if r["status"] in ("changed", "unchanged")]
    assert len(kept) + sum(r["status"] == "added" for r in result) == len(new)
    assert len(kept) + sum(r["status"] == "removed" for r in result) == len(old)
    assert sorted(r["new_position"] for r in result if r["new_position"]) == list(
        range(1, len(new) + 1))
    assert sorted(r["old_position"] for r in result if r["old_position"]) == list(
        range(1, len(old) + 1))
    assert all(bool(r["fields"]) == (r["status"] == "changed") for r in result)


@given(st.lists(material, max_size=6))
def test_a_list_compared_with_itself_has_no_changes(rows):
    assert all(r["status"] == "unchanged" for r in diff_materials(rows, rows))


def test_compare_guides_labels_fields_and_compares_materials_by_row():
    old = {"name": "出生登记", "visits": 1, "channels": ["pc"], "materials": [ID_CARD]}
    new = {"name": "出生登记", "visits": 0, "channels": ["pc", "mobile"],
           "materials": [ID_CARD, PHOTO]}
    diff = compare_guides(old, new)
    assert [(f["field"], f["label"], f["old"], f["new"]) for f in diff["fields"]] == [
        ("visits", "到办事现场次数", 1, 0), ("channels", "办理渠道", ["pc"], ["pc", "mobile"])]
    assert statuses(diff["materials"]) == [("unchanged", "居民身份证"), ("added", "近期免冠照片")]
