import threading
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.catalog.searchkit import BLANK_TEXTS, isolated_search_index, published_item
from tests.catalog.test_services import publish
from tests.factories import DepartmentFactory, RegionFactory, guide_data, staff
from yiwang.catalog import services
from yiwang.catalog.models import (
    GuideVersion,
    Material,
    ServiceItem,
    Synonym,
    VersionStatus,
)
from yiwang.catalog.search import SearchUnavailable, rebuild, search, store
from yiwang.catalog.search.documents import iter_documents, service_documents
from yiwang.catalog.search.engine import matching_ids
from yiwang.common.errors import NotFound, ValidationError
from yiwang.orgs.models import Role


@pytest.fixture(autouse=True)
def _isolated_index(settings, tmp_path):
    yield from isolated_search_index(settings, tmp_path)


@pytest.fixture
def make_item(django_capture_on_commit_callbacks, department, editor, reviewer):
    def make(name, **texts):
        return published_item(django_capture_on_commit_callbacks, department, editor, reviewer,
                              name=name, **texts)
    return make


def codes(results):
    return [hit.handling_code for hit in results.hits]


def material(name):
    return {"name": name, "necessity": "required", "form": "electronic", "source": "applicant"}


def test_two_character_query_finds_item_whose_only_match_is_a_material_name(make_item):
    item = make_item("出入境证件签注", materials=[material("普通护照原件")])
    make_item("居民身份证换领")
    results = search("护照")
    assert codes(results) == [item.handling_code]
    assert results.total == 1
    assert "申请材料" in results.hits[0].snippet_html
    assert "<mark>护照</mark>" in results.hits[0].snippet_html


def test_name_match_ranks_above_body_text_match(make_item):
    in_body = make_item("出生医学证明补领",
                        conditions="申请人持营业执照副本和营业执照正本到窗口办理营业执照相关手续")
    in_name = make_item("营业执照变更登记", conditions="企业名称、住所等登记事项发生变更")
    assert codes(search("营业")) == [in_name.handling_code, in_body.handling_code]
    assert codes(search("营业执照")) == [in_name.handling_code, in_body.handling_code]


def test_longer_query_matches_only_contiguous_text(make_item):
    contiguous = make_item("营业执照注销")
    make_item("执照营业时间公示")
    make_item("营业场所变更", conditions="需提交执照")
    assert codes(search("营业执照")) == [contiguous.handling_code]
    assert codes(search("业执照注")) == [contiguous.handling_code]


def test_query_never_matches_across_two_texts(make_item):
    make_item("企业登记", materials=[material("申请书营业"), material("执照复印件")])
    assert search("营业执照").total == 0
    assert search("营业").total == 1


@pytest.mark.parametrize("term", ["居民身份证", "营业执照副本", "最低生活保障金", "营业执照副本原件",
                                  "营业执照副本原件一"])
def test_terms_longer_than_four_characters_match_at_the_start_middle_and_end(make_item, term):
    at_start = make_item("甲", conditions=term + "的说明")
    in_middle = make_item("乙", materials=[material("有效的" + term + "一份")])
    at_end = make_item("丙", legal_basis="依据" + term)
    in_name = make_item(term)
    make_item("丁", conditions=term[:-1] + "，" + term[-1])
    make_item("戊", conditions=term[1:])
    results = search(term)
    found = codes(results)
    assert found[0] == in_name.handling_code
    assert sorted(found[1:]) == sorted(
        item.handling_code for item in (at_start, in_middle, at_end))
    assert results.hits[0].name_html == f"<mark>{term}</mark>"
    assert all(f"<mark>{term}</mark>" in hit.snippet_html for hit in results.hits[1:])


@pytest.mark.parametrize("term", ["营业执照", "营业执照副", "营业执照副本原件", "营业执照副本原件一"])
def test_no_term_matches_across_the_join_of_two_texts(make_item, term):
    """Wherever the join falls, also where it falls between two of the term's 4-grams: a term
    split between the name and an alias, or between two materials, does not match exactly (the
    words it is made of may still find the item, and the results then say so)."""
    items = {split: make_item("登记" + term[:split], aliases=term[split:] + "说明", materials=[
        material("附件" + term[:split]), material(term[split:] + "复印件")])
        for split in range(1, len(term))}
    assert matching_ids(term) == set()
    results = search(term)
    assert results.total == 0 or results.match != "exact"
    for split, item in items.items():
        # Both parts are there, each in a text of its own.
        assert item.handling_code in codes(search(f"{term[:split]} {term[split:]}"))


def test_single_character_query_finds_every_occurrence(make_item):
    by_name = make_item("护照补领")
    by_step = make_item("出境登记", process_steps=[{"name": "受理", "description": "核验照片"}])
    make_item("户口迁移")
    assert codes(search("照")) == [by_name.handling_code, by_step.handling_code]


def test_process_steps_conditions_basis_and_result_are_searched(make_item):
    step = make_item("甲", process_steps=[{"name": "审查", "description": "现场核查经营场所"}])
    condition = make_item("乙", conditions="持有船舶国籍证书")
    basis = make_item("丙", legal_basis="《中华人民共和国畜牧法》第二十四条")
    result = make_item("丁", result_name="种畜禽生产经营许可证")
    assert codes(search("经营场所")) == [step.handling_code]
    assert codes(search("船舶")) == [condition.handling_code]
    assert codes(search("畜牧")) == [basis.handling_code]
    assert codes(search("种畜禽")) == [result.handling_code]


def test_terms_separated_by_spaces_must_all_match(make_item):
    both = make_item("护照补领", conditions="护照遗失需登报声明")
    make_item("护照签发")
    assert codes(search("护照  登报")) == [both.handling_code]


def test_aliases_are_searched_and_ranked_with_the_name(make_item):
    alias = make_item("机动车驾驶证换证", aliases="驾照到期换证")
    body = make_item("交通违法处理", conditions="驾照被扣分的驾驶人")
    assert codes(search("驾照")) == [alias.handling_code, body.handling_code]


def test_case_is_ignored_for_latin_letters(make_item):
    item = make_item("ETC通行卡办理")
    assert codes(search("etc")) == [item.handling_code]
    assert search("etc").hits[0].name_html == "<mark>ETC</mark>通行卡办理"


def test_synonyms_expand_the_query_and_are_reported(make_item):
    Synonym.objects.create(term="社保", expansions="社会保险")
    Synonym.objects.create(term="医保", expansions="医疗保险，基本医疗保险")
    full = make_item("社会保险登记")
    short = make_item("社保卡补领")
    results = search("社保")
    assert set(codes(results)) == {full.handling_code, short.handling_code}
    assert results.expanded_terms == ["社会保险"]
    assert search("医保").expanded_terms == ["医疗保险", "基本医疗保险"]
    # A synonym inside a longer term is replaced in place.
    assert search("社保登记").expanded_terms == ["社会保险登记"]
    assert codes(search("社保登记")) == [full.handling_code]


def test_a_term_that_already_reads_as_the_expansion_is_not_expanded_again(make_item):
    Synonym.objects.create(term="身份证", expansions="居民身份证")
    item = make_item("居民身份证申领")
    assert search("身份证").expanded_terms == ["居民身份证"]
    assert search("居民身份证").expanded_terms == []  # not 居民居民身份证
    assert codes(search("居民身份证")) == [item.handling_code]


def test_editing_a_synonym_takes_effect_without_reindexing(make_item):
    item = make_item("居民身份证申领")
    assert search("身份证").total == 1
    assert search("证件").total == 0
    synonym = Synonym.objects.create(term="证件", expansions="居民身份证")
    assert codes(search("证件")) == [item.handling_code]
    synonym.expansions = "护照"
    synonym.save()
    assert search("证件").total == 0
    synonym.delete()
    assert search("证件").expanded_terms == []


@pytest.fixture
def county_department(province):
    city = RegionFactory(code="220100", name="长春市", level=2, parent=province,
                         path="220000/220100/", full_name="吉林省长春市")
    county = RegionFactory(code="220102", name="南关区", level=3, parent=city,
                           path="220000/220100/220102/", full_name="吉林省长春市南关区")
    RegionFactory(code="220200", name="吉林市", level=2, parent=province, path="220000/220200/",
                  full_name="吉林省吉林市")
    return DepartmentFactory(name="南关区市场监督管理局", code="21", region=county)


def test_region_filter_includes_items_of_descendant_regions(
        django_capture_on_commit_callbacks, county_department, make_item):
    user = staff(county_department, Role.CATALOG_EDITOR, Role.CATALOG_REVIEWER, username="county")
    checker = staff(county_department, Role.CATALOG_REVIEWER, username="county-reviewer")
    county_item = published_item(django_capture_on_commit_callbacks, county_department, user,
                                 checker, name="食品经营许可")
    province_item = make_item("食品生产许可")
    assert codes(search("食品", region="220102")) == [county_item.handling_code]
    assert codes(search("食品", region="220100")) == [county_item.handling_code]
    assert set(codes(search("食品", region="220000"))) == {county_item.handling_code,
                                                          province_item.handling_code}
    # 吉林市 has none: its parent's items are offered instead, and the results say so.
    elsewhere = search("食品", region="220200")
    assert set(codes(elsewhere)) == {county_item.handling_code, province_item.handling_code}
    assert (elsewhere.region_empty, elsewhere.region_used) == ("吉林省吉林市", "吉林省")
    assert search("食品", region="220100").region_empty == ""
    hit = search("食品", region="220100").hits[0]
    assert (hit.region, hit.region_code) == ("吉林省长春市南关区", "220102")
    with pytest.raises(NotFound) as exc:
        search("食品", region="999999")
    assert exc.value.code == "region.not_found"


def test_department_and_item_type_filters(django_capture_on_commit_callbacks, department,
                                          editor, reviewer):
    other = DepartmentFactory(name="吉林省人力资源和社会保障厅", code="12", region=department.region)
    other_editor = staff(other, Role.CATALOG_EDITOR, username="hr-editor")
    other_reviewer = staff(other, Role.CATALOG_REVIEWER, username="hr-reviewer")
    licence = published_item(django_capture_on_commit_callbacks, department, editor, reviewer,
                             name="护照签发", item_type="01")
    service = published_item(django_capture_on_commit_callbacks, department, editor, reviewer,
                             name="护照进度查询", item_type="20")
    elsewhere = published_item(django_capture_on_commit_callbacks, other, other_editor,
                               other_reviewer, name="护照信息核验", item_type="20")
    assert search("护照").total == 3
    assert set(codes(search("护照", department=department.pk))) == {licence.handling_code,
                                                                    service.handling_code}
    assert codes(search("护照", department=str(other.pk))) == [elsewhere.handling_code]
    assert set(codes(search("护照", item_type="20"))) == {service.handling_code,
                                                         elsewhere.handling_code}
    assert codes(search("护照", item_type="20", department=department.pk)) == [
        service.handling_code]
    hit = search("护照", item_type="01").hits[0]
    assert (hit.item_type, hit.item_type_name, hit.department_id) == ("01", "行政许可",
                                                                      department.pk)


def test_filters_do_not_change_scores(make_item):
    make_item("护照签发")
    assert search("护照").hits[0].score == search("护照", item_type="01").hits[0].score


def test_highlight_escapes_everything_but_the_marks(make_item):
    make_item("<b>护照</b>补领", conditions='护照遗失 <script>alert("x")</script> & 声明')
    hit = search("护照").hits[0]
    assert hit.name_html == "&lt;b&gt;<mark>护照</mark>&lt;/b&gt;补领"
    assert "<script>" not in hit.snippet_html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 声明" in hit.snippet_html
    assert hit.snippet_html.startswith("受理条件：<mark>护照</mark>遗失")


def test_snippet_is_cut_around_the_first_match(make_item):
    make_item("甲", conditions="前" * 100 + "护照" + "后" * 100)
    snippet = search("护照").hits[0].snippet_html
    assert snippet.startswith("受理条件：…" + "前" * 16 + "<mark>护照</mark>")
    assert snippet.endswith("后…")


def test_publishing_makes_an_item_findable_and_withdrawing_removes_it(
        django_capture_on_commit_callbacks, make_item, reviewer):
    item = make_item("居住证签注")
    assert codes(search("签注")) == [item.handling_code]
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_item(item, actor=reviewer, reason="停止办理")
    assert search("签注").total == 0


def test_a_draft_is_not_searchable_until_published(django_capture_on_commit_callbacks,
                                                    department, editor, reviewer):
    with django_capture_on_commit_callbacks(execute=True):
        item = services.create_item(department=department, item_type="01", level="2",
                                    guide=guide_data(**BLANK_TEXTS, name="居住证签注"), actor=editor)
    assert search("签注").total == 0
    with django_capture_on_commit_callbacks(execute=True):
        publish(item, editor, reviewer)
    assert search("签注").total == 1


def test_a_new_published_version_replaces_the_old_text(django_capture_on_commit_callbacks,
                                                        make_item, editor, reviewer):
    item = make_item("护照补领")
    with django_capture_on_commit_callbacks(execute=True):
        draft = services.start_revision(item, actor=editor)
        services.update_draft(draft, guide_data(**BLANK_TEXTS, name="普通护照补发"), actor=editor)
    # The draft is not public: the index still shows version 1.
    assert search("补领").total == 1
    with django_capture_on_commit_callbacks(execute=True):
        publish(item, editor, reviewer)
    assert search("补领").total == 0
    assert [h.name for h in search("补发").hits] == ["普通护照补发"]
    assert search("护照").total == 1


def test_rebuild_command_restores_the_index_from_the_database(make_item, department, editor,
                                                              reviewer):
    kept = make_item("护照补领")
    gone = make_item("护照签注")
    # Updates that never reached the index (on-commit tasks not run, as if the worker was down).
    services.withdraw_item(gone, actor=reviewer, reason="停止办理")
    missed = services.create_item(department=department, item_type="01", level="2",
                                  guide=guide_data(**BLANK_TEXTS, name="护照加注"), actor=editor)
    publish(missed, editor, reviewer)
    assert set(codes(search("护照"))) == {kept.handling_code, gone.handling_code}
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "搜索索引已重建：2 个已发布事项" in out.getvalue()
    assert set(codes(search("护照"))) == {kept.handling_code, missed.handling_code}


def test_a_search_during_a_rebuild_answers_from_the_old_index(make_item):
    item = make_item("护照补领")
    with store.writer() as writer:
        writer.delete_all_documents()
        # Not committed yet: readers still see the old index.
        assert codes(search("护照")) == [item.handling_code]
    assert search("护照").total == 0
    assert rebuild() == 1
    assert codes(search("护照")) == [item.handling_code]


def test_missing_index_directory_is_created_and_answers_empty(db, settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "nowhere" / "index"
    results = search("护照")
    assert (results.total, results.hits) == (0, [])
    assert (store.index_dir() / "meta.json").exists()


def test_reader_sees_commits_made_by_another_process(make_item, django_capture_on_commit_callbacks,
                                                     department, editor, reviewer):
    make_item("护照补领")
    assert search("护照").total == 1
    # Publish without running the on-commit task, then write the document through a second
    # index handle, as the task worker process does.
    item = services.create_item(department=department, item_type="01", level="2",
                                guide=guide_data(**BLANK_TEXTS, name="护照加注"), actor=editor)
    publish(item, editor, reviewer)
    other_process = store._open(store.index_dir())
    writer = other_process.writer(heap_size=15_000_000, num_threads=1)
    for _item_id, _version_id, doc in iter_documents(ServiceItem.objects.filter(pk=item.pk)):
        writer.add_document(doc)
    for doc in service_documents([item.basic_code]):
        writer.add_document(doc)
    writer.commit()
    writer.wait_merging_threads()
    assert search("护照").total == 2


def test_a_second_writer_waits_for_the_first_and_then_gives_up(db):
    with store.writer(), pytest.raises(SearchUnavailable) as exc, store.writer(wait=0.1):
        pass
    assert exc.value.code == "search.index_busy"
    assert exc.value.status == 503

    first = store.writer()
    first.__enter__()
    release = threading.Timer(0.2, first.__exit__, (None, None, None))
    release.start()
    started = time.monotonic()
    with store.writer(wait=5):
        waited = time.monotonic() - started
    release.join()
    assert 0.1 < waited < 5


def test_search_results_need_no_database_query(make_item, django_assert_num_queries):
    make_item("护照补领")
    search("护照")  # loads the synonym table once
    with django_assert_num_queries(0):
        results = search("护照", item_type="01", page=1, page_size=10)
    assert results.total == 1


def test_pagination(make_item):
    for n in range(5):
        make_item(f"护照业务{n}")
    first = search("护照", page=1, page_size=2)
    last = search("护照", page=3, page_size=2)
    assert (first.total, first.pages, first.has_next, len(first.hits)) == (5, 3, True, 2)
    assert (last.has_next, last.has_previous, len(last.hits)) == (False, True, 1)
    every = codes(first) + codes(search("护照", page=2, page_size=2)) + codes(last)
    assert len(set(every)) == 5
    assert search("护照", page=4, page_size=2).hits == []


@pytest.mark.parametrize("kwargs, code", [
    ({"query": ""}, "search.empty_query"),
    ({"query": "   "}, "search.empty_query"),
    ({"query": "护" * 51}, "search.query_too_long"),
    ({"query": "护照", "item_type": "99"}, "item.type_invalid"),
    ({"query": "护照", "department": "abc"}, "search.department_invalid"),
    ({"query": "护照", "page": -1}, "pagination.out_of_range"),
    ({"query": "护照", "page": "x"}, "pagination.invalid"),
    ({"query": "护照", "page_size": 101}, "pagination.out_of_range"),
    ({"query": "护照", "page": 501, "page_size": 20}, "search.page_too_deep"),
])
def test_bad_input_is_refused_with_a_stable_code(db, kwargs, code):
    query = kwargs.pop("query")
    with pytest.raises(ValidationError) as exc:
        search(query, **kwargs)
    assert exc.value.code == code
    assert exc.value.message


def test_unknown_department_is_not_found(db):
    with pytest.raises(NotFound) as exc:
        search("护照", department=999)
    assert exc.value.code == "department.not_found"


# --- Property: the engine finds exactly what LIKE '%term%' over the same texts finds. ---------

ALPHABET = "社会保险护照营业执医疗证"
text = st.text(alphabet=ALPHABET, max_size=12)
guides = st.lists(st.fixed_dictionaries({
    "name": st.text(alphabet=ALPHABET, min_size=1, max_size=10),
    "aliases": text, "conditions": text, "legal_basis": text, "result_name": text,
    "materials": st.lists(st.text(alphabet=ALPHABET, min_size=1, max_size=8), max_size=3),
    "published": st.booleans(),
}), min_size=1, max_size=6)
LONGEST_TERM = 9  # 4-gram phrases of 5 to 9 characters have steps of 1 to 4 (see analysis)


def guide_texts(guide):
    return [t for t in (guide["name"], guide["aliases"], guide["conditions"],
                        guide["legal_basis"], guide["result_name"], *guide["materials"]) if t]


def draw_term(data, catalogue):
    """A term of 1 to LONGEST_TERM characters: cut from a text of a published guide (so that
    long terms match at all, at the start, middle or end of a text), cut across the join of two
    texts of one guide (which LIKE never matches as one), or made up."""
    length = data.draw(st.integers(1, LONGEST_TERM))
    kind = data.draw(st.sampled_from(["inside", "across", "made up"]))
    published = [guide for guide in catalogue if guide["published"]]
    texts = guide_texts(data.draw(st.sampled_from(published or catalogue)))
    if kind == "inside":
        cuts = [(t, i) for t in texts for i in range(len(t) - length + 1)]
    else:
        cuts = [(a + b, i) for a in texts for b in texts
                for i in range(max(0, len(a) - length + 1), len(a)) if i + length <= len(a + b)]
    if kind == "made up" or not cuts:
        return data.draw(st.text(alphabet=ALPHABET, min_size=length, max_size=length))
    source, start = data.draw(st.sampled_from(cuts))
    return source[start:start + length]


LIKE_FIELDS = ["name", "aliases", "conditions", "legal_basis", "result_name", "materials__name"]


def like_oracle(terms, expand):
    from django.db.models import Q

    matches = GuideVersion.objects.filter(status=VersionStatus.PUBLISHED)
    for term in terms:
        condition = Q()
        for variant in expand(term):
            for field in LIKE_FIELDS:
                condition |= Q(**{f"{field}__icontains": variant})
        matches = matches.filter(condition)
    return set(matches.values_list("item_id", flat=True))


@hypothesis_settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(catalogue=guides, data=st.data())
def test_engine_recall_equals_a_like_oracle(department, catalogue, data):
    def expand(term):
        return [term, term.replace("社保", "社会保险")] if "社保" in term else [term]

    terms = [draw_term(data, catalogue) for _ in range(data.draw(st.integers(1, 2)))]
    with transaction.atomic():
        Synonym.objects.create(term="社保", expansions="社会保险")
        for n, guide in enumerate(catalogue, start=1):
            item = ServiceItem.objects.create(
                basic_code=f"2201110{n:02d}000", implementation_code=f"{department.uscc}2{n:012d}",
                handling_code=f"{department.uscc}2{n:012d}01", item_type="01", level="2",
                department=department, region=department.region)
            version = GuideVersion.objects.create(
                item=item, number=1, name=guide["name"], aliases=guide["aliases"],
                conditions=guide["conditions"], legal_basis=guide["legal_basis"],
                result_name=guide["result_name"],
                status=VersionStatus.PUBLISHED if guide["published"] else VersionStatus.DRAFT)
            Material.objects.bulk_create(Material(version=version, name=m) for m in guide["materials"])
            if guide["published"]:
                item.published_version = version
                item.save(update_fields=["published_version"])
        rebuild()
        query = " ".join(terms)
        oracle = like_oracle(query.split(), expand)
        assert matching_ids(query) == oracle
        results = search(query)
        # What LIKE finds is found exactly; only when it finds nothing may the engine fall back
        # to the words of the query, and say so.
        if oracle:
            assert (results.match, results.total) == ("exact", len(oracle))
        else:
            assert results.match != "exact" or results.total == 0
        transaction.set_rollback(True)
