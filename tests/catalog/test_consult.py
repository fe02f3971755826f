"""智能咨询: answers from a small published catalogue (the right item and passage for several
phrasings), "not known" with the 12345 hotline and one log row per question, the portal and
mobile pages (with and without htmx), the API, bad input, and the editors' page of unanswered
questions with who may use it (``CONSULT_RULES``)."""

import pytest
from django.core.cache import cache

from tests.accounts.factories import citizen
from tests.catalog.searchkit import isolated_search_index, published_item
from tests.factories import DepartmentFactory, staff
from yiwang.catalog import consult
from yiwang.catalog.models import UnansweredQuestion
from yiwang.common.errors import NotFound, PermissionDenied, ValidationError
from yiwang.orgs.models import Role
from yiwang.supervision.models import AuditRecord

EDITORS = "catalogue editors of any department (tests/catalog/test_consult.py)"
CONSULT_RULES = {
    "portal:consult": "public",
    "portal:m_consult": "public",
    "api:consult_question": "public",
    "workbench:consult-questions": EDITORS,
    "workbench:consult-question-handle": EDITORS,
}


@pytest.fixture(autouse=True)
def _isolated_index(settings, tmp_path):
    yield from isolated_search_index(settings, tmp_path)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def catalogue(django_capture_on_commit_callbacks, department, editor, reviewer):
    capture = django_capture_on_commit_callbacks

    def item(**texts):
        return published_item(capture, department, editor, reviewer, **texts)

    return {
        "replace": item(
            name="居民身份证补领", aliases="身份证丢了、身份证补办、身份证遗失",
            conditions="居民身份证丢失的本地户籍居民，可同时申请临时居民身份证。",
            materials=[{"name": "居民户口簿"}, {"name": "数码相片采集回执"}],
            faqs=[{"question": "身份证丢了可以在外地补办吗？",
                   "answer": "可以。居民身份证补领已实现全国通办，可在任一公安机关户政窗口申请。"}]),
        "passport": item(
            name="普通护照签发", aliases="办护照、护照办理",
            conditions="具有本省户籍或持有本省居住证的中国公民。",
            fees=[{"name": "普通护照工本费", "amount": "120.00", "basis": "发改价格〔2019〕914号"}],
            location="各市出入境管理服务大厅"),
        "company": item(
            name="企业设立登记", aliases="开公司、注册公司、办营业执照",
            conditions="依法设立的有限责任公司、股份有限公司、个人独资企业和合伙企业。",
            materials=[{"name": "公司章程"}, {"name": "股东的主体资格证明"}],
            promised_time_limit=3, legal_time_limit=15,
            faqs=[{"question": "注册公司需要实缴注册资本吗？",
                   "answer": "实行认缴登记制，股东在五年内缴足，登记时不需要验资证明。"}]),
    }


def url_of(item, anchor):
    return f"/items/{item.handling_code}/#{anchor}"


@pytest.mark.parametrize("question, key, label, quoted", [
    ("身份证丢了怎么办", "replace", "受理条件", "居民身份证丢失的本地户籍居民"),
    ("身份证丢了，能在外地补办吗？", "replace", "常见问题", "全国通办"),
    ("身份证丢了可以在外地补办吗", "replace", "常见问题", "全国通办"),
    ("补办身份证要带什么材料", "replace", "申请材料", "1. 居民户口簿（必要）"),
    ("办护照要多少钱", "passport", "收费标准", "普通护照工本费120.00元"),
    ("护照在哪里办", "passport", "办理地点", "各市出入境管理服务大厅"),
    ("开公司需要什么材料", "company", "申请材料", "公司章程"),
    ("注册公司要多久", "company", "办理时限", "承诺办结时限3个工作日（法定办结时限15个工作日）"),
    ("注册公司要不要实缴注册资本", "company", "常见问题", "认缴登记制"),
])
def test_the_box_quotes_the_right_passage_of_the_right_item(catalogue, question, key, label,
                                                             quoted):
    answer = consult.answer(question)
    assert answer.known, answer
    assert answer.item.handling_code == catalogue[key].handling_code
    assert answer.passage.label == label
    assert quoted in answer.passage.text
    assert answer.url.startswith(f"/items/{catalogue[key].handling_code}/#")
    assert answer.score >= consult.KNOWN_THRESHOLD
    assert not UnansweredQuestion.objects.exists()


def test_an_faq_answer_names_its_question_and_links_to_the_faqs(catalogue):
    answer = consult.answer("身份证丢了可以在外地补办吗")
    assert answer.passage.title == "身份证丢了可以在外地补办吗？"
    assert answer.url == url_of(catalogue["replace"], "faqs")


@pytest.mark.parametrize("question", ["今天天气怎么样", "如何申请火星移民", "股票怎么开户"])
def test_a_question_the_catalogue_cannot_answer_says_so_and_offers_12345(catalogue, question):
    answer = consult.answer(question)
    assert not answer.known and answer.item is None and answer.passage is None
    assert "12345" in answer.message and answer.hotline == "12345"
    assert UnansweredQuestion.objects.get().text == question


def test_an_unanswered_question_is_logged_once_and_counted(catalogue, province):
    consult.answer("今天天气怎么样")
    consult.answer("  今天天气怎么样？ ")
    consult.answer("今天 天气 怎么样！", region=province.code)
    entry = UnansweredQuestion.objects.get()
    assert (entry.count, entry.normalized, entry.region) == (3, "今天天气怎么样", province)
    assert entry.last_asked_at >= entry.first_asked_at


def test_the_log_masks_id_and_phone_numbers(catalogue):
    consult.answer("我的身份证号220102199003071234和手机13812345678被盗用了怎么办")
    assert (UnansweredQuestion.objects.get().text
            == "我的身份证号2201**********1234和手机138****5678被盗用了怎么办")


def test_a_handled_question_asked_again_is_open_again(catalogue, editor):
    consult.answer("今天天气怎么样")
    entry = consult.mark_handled(UnansweredQuestion.objects.get().pk, actor=editor)
    assert entry.handled_at and entry.handled_by == editor
    consult.answer("今天天气怎么样")
    entry.refresh_from_db()
    assert entry.handled_at is None and entry.count == 2


@pytest.mark.parametrize("question, code", [
    ("", "consult.empty_question"),
    ("   ", "consult.empty_question"),
    (None, "consult.empty_question"),
    ("问" * 2000, "consult.question_too_long"),
    ("？！。，…… ?!", "consult.no_words"),
])
def test_bad_questions_are_refused_with_a_reason(question, code, db):
    with pytest.raises(ValidationError) as refused:
        consult.answer(question)
    assert refused.value.code == code and refused.value.status == 400
    assert not UnansweredQuestion.objects.exists()


def test_an_unknown_region_is_not_found(catalogue):
    with pytest.raises(NotFound):
        consult.answer("身份证丢了怎么办", region="999999")


# --- pages ---------------------------------------------------------------------------------------


def test_home_item_and_mobile_pages_carry_the_box(client, catalogue):
    item = catalogue["passport"].handling_code
    for path, action in [("/", "/consult/"), (f"/items/{item}/", "/consult/"),
                         ("/m/", "/m/consult/"), (f"/m/items/{item}/", "/m/consult/")]:
        page = client.get(path).content.decode()
        assert "智能咨询" in page, path
        assert f'action="{action}"' in page and f'hx-get="{action}"' in page, path


def test_the_consult_page_answers_without_javascript(client, catalogue):
    page = client.get("/consult/", {"q": "办护照要多少钱"})
    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="{url_of(catalogue["passport"], "fees")}"' in html
    assert "普通护照签发" in html and "普通护照工本费120.00元" in html
    assert 'value="办护照要多少钱"' in html


def test_htmx_gets_only_the_answer(client, catalogue):
    page = client.get("/consult/", {"q": "身份证丢了怎么办"}, headers={"HX-Request": "true"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "<html" not in html and 'data-known="true"' in html and "居民身份证补领" in html


def test_the_mobile_page_links_to_the_mobile_item_page(client, catalogue):
    html = client.get("/m/consult/", {"q": "开公司需要什么材料"}).content.decode()
    assert f'href="/m/items/{catalogue["company"].handling_code}/#materials"' in html


def test_an_unknown_answer_offers_12345_on_the_page(client, catalogue):
    html = client.get("/consult/", {"q": "今天天气怎么样"}).content.decode()
    assert 'data-known="false"' in html and 'href="tel:12345"' in html


def test_the_page_without_a_question_shows_the_form_only(client, db):
    page = client.get("/consult/")
    assert page.status_code == 200
    assert 'id="consult-q"' in page.content.decode() and "data-known" not in page.content.decode()


@pytest.mark.parametrize("question, message", [
    ("", "请输入您要咨询的问题"), ("问" * 2000, "问题不能超过200个字"), ("？？？", "问题中没有文字")])
def test_bad_questions_on_the_page_are_a_4xx_with_the_message(client, db, question, message):
    page = client.get("/consult/", {"q": question})
    assert page.status_code == 400 and message in page.content.decode()
    fragment = client.get("/consult/", {"q": question}, headers={"HX-Request": "true"})
    assert message in fragment.content.decode()


def test_asking_too_fast_is_refused(client, catalogue, settings):
    settings.CONSULT_QUESTIONS_PER_MINUTE = 2
    assert [client.get("/consult/", {"q": "身份证丢了怎么办"}).status_code
            for _ in range(3)] == [200, 200, 429]
    response = client.get("/api/consult", {"q": "身份证丢了怎么办"})
    assert response.status_code == 429 and response.json()["code"] == "consult.rate_limited"


# --- API -----------------------------------------------------------------------------------------


def test_the_api_answers_with_the_passage_and_the_link(client, catalogue):
    body = client.get("/api/consult", {"q": "办护照要多少钱"}).json()
    passport = catalogue["passport"]
    assert body["known"] is True and body["message"] == ""
    assert body["item"] == {"name": "普通护照签发", "handling_code": passport.handling_code,
                            "department": passport.department.name,
                            "url": f"/items/{passport.handling_code}/"}
    assert body["passage"]["label"] == "收费标准" and "120.00元" in body["passage"]["text"]
    assert body["url"] == url_of(passport, "fees")


def test_the_api_says_when_it_does_not_know(client, catalogue):
    body = client.get("/api/consult", {"q": "今天天气怎么样"}).json()
    assert body["known"] is False and body["item"] is None and "12345" in body["message"]
    assert UnansweredQuestion.objects.get().count == 1


@pytest.mark.parametrize("params, status, code", [
    ({}, 400, "consult.empty_question"),
    ({"q": "问" * 2000}, 400, "consult.question_too_long"),
    ({"q": "。。。"}, 400, "consult.no_words"),
    ({"q": "身份证丢了", "region": "999999"}, 404, "region.not_found"),
])
def test_the_api_refuses_bad_input_with_a_4xx(client, catalogue, params, status, code):
    response = client.get("/api/consult", params)
    assert response.status_code == status and response.json()["code"] == code


# --- the editors' page ---------------------------------------------------------------------------


@pytest.fixture
def asked(catalogue):
    for question in ["今天天气怎么样", "今天天气怎么样", "如何申请火星移民"]:
        consult.answer(question)
    return {q.normalized: q for q in UnansweredQuestion.objects.all()}


def test_editors_list_search_and_handle_unanswered_questions(client, editor, asked):
    client.force_login(editor)
    page = client.get("/workbench/consult/questions/").content.decode()
    assert page.index("今天天气怎么样") < page.index("如何申请火星移民")  # the most asked first
    assert "<td>2</td>" in page
    found = client.get("/workbench/consult/questions/", {"q": "火星"}).content.decode()
    assert "如何申请火星移民" in found and "今天天气怎么样" not in found
    weather = asked["今天天气怎么样"]
    response = client.post(f"/workbench/consult/questions/{weather.pk}/handle/")
    assert response.status_code == 302
    weather.refresh_from_db()
    assert weather.handled_by == editor
    record = AuditRecord.objects.get(kind="consult.question_handled")
    assert record.subject_id == str(weather.pk)
    open_page = client.get("/workbench/consult/questions/").content.decode()
    assert "<td>今天天气怎么样</td>" not in open_page and "<td>如何申请火星移民</td>" in open_page
    handled = client.get("/workbench/consult/questions/", {"status": "handled"}).content.decode()
    assert "<td>今天天气怎么样</td>" in handled and "<td>如何申请火星移民</td>" not in handled


def test_bad_filters_on_the_editors_page_are_a_400(client, editor, asked):
    client.force_login(editor)
    assert client.get("/workbench/consult/questions/", {"page": "0"}).status_code == 400
    assert client.get("/workbench/consult/questions/", {"status": "nope"}).status_code == 400


def test_handling_a_question_that_does_not_exist_is_reported(client, editor, db):
    client.force_login(editor)
    response = client.post("/workbench/consult/questions/999999/handle/", follow=True)
    assert "该咨询记录不存在" in response.content.decode()


def test_only_catalogue_editors_may_handle_questions(reviewer, db):
    with pytest.raises(PermissionDenied):
        consult.unanswered_questions(reviewer)


@pytest.fixture
def people(editor, reviewer, province):
    other_editor = staff(DepartmentFactory(name="吉林省民政厅", code="12", region=province),
                         Role.CATALOG_EDITOR, username="editor_b")
    clerk = staff(DepartmentFactory(name="吉林省人社厅", code="13", region=province),
                  Role.ACCEPTOR, username="acceptor")
    return {"anonymous": None, "citizen": citizen().user, "acceptor": clerk, "reviewer": reviewer,
            "editor": editor, "other_editor": other_editor}


# Who gets what: 200/302 done, 403 refused, "login" sent to log in.
WORKBENCH_OUTCOMES = {"anonymous": "login", "citizen": 403, "acceptor": 403, "reviewer": 403,
                      "editor": "ok", "other_editor": "ok"}


@pytest.mark.parametrize("who", list(WORKBENCH_OUTCOMES))
@pytest.mark.parametrize("name", ["workbench:consult-questions", "workbench:consult-question-handle"])
def test_consult_rules_of_the_workbench_pages(client, people, asked, who, name):
    assert CONSULT_RULES[name] == EDITORS
    user = people[who]
    if user is not None:
        client.force_login(user)
    weather = asked["今天天气怎么样"]
    if name == "workbench:consult-questions":
        response = client.get("/workbench/consult/questions/")
    else:
        response = client.post(f"/workbench/consult/questions/{weather.pk}/handle/")
    expected = WORKBENCH_OUTCOMES[who]
    if expected == "login":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif expected == "ok":
        assert response.status_code in (200, 302)
    else:
        assert response.status_code == expected
    weather.refresh_from_db()
    handled = name.endswith("handle") and expected == "ok"
    assert (weather.handled_at is not None) == handled


@pytest.mark.parametrize("path", ["/consult/?q=护照在哪里办", "/m/consult/?q=护照在哪里办",
                                  "/api/consult?q=护照在哪里办"])
def test_consult_rules_of_the_public_pages(client, catalogue, path):
    assert client.get(path).status_code == 200
    client.force_login(citizen().user)
    assert client.get(path).status_code == 200
