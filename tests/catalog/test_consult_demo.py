"""智能咨询 on the demo catalogue (``load_demo``), where ``KNOWN_THRESHOLD`` was tuned: citizens'
questions get a passage of the right item, questions about things no guide holds get "not
known". The demo is loaded once for the module and rolled back at the end."""


import pytest

from yiwang.catalog import consult

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("question, item, label", [
    ("身份证丢了怎么办", "居民身份证补领", "受理条件"),
    ("身份证丢了补办期间怎么坐火车", "居民身份证补领", "常见问题"),
    ("办身份证要带什么材料", "居民身份证首次申领", "申请材料"),
    ("身份证换领要多久", "居民身份证换领", "办理时限"),
    ("换身份证多少钱", "居民身份证换领", "收费标准"),
    ("注册公司需要实缴注册资本吗", "企业设立登记", "常见问题"),
    ("开公司需要什么材料", "企业设立登记", "申请材料"),
    ("社保卡办好以后多久能拿到", "社会保障卡申领", "常见问题"),
    ("办护照要多少钱", "普通护照签发", "收费标准"),
    ("护照在哪里办", "普通护照签发", "办理地点"),
    ("新生儿怎么上户口", "出生登记（新生儿落户）", "受理条件"),
    ("失业金怎么领", "失业保险金申领", "受理条件"),
    ("结婚登记需要什么", "内地居民结婚登记", "申请材料"),
    ("驾驶证到期换证在哪办", "机动车驾驶证有效期满换证", "办理地点"),
])
def test_demo_questions_get_the_right_item_and_passage(demo_catalogue, db, question, item,
                                                       label):
    answer = consult.find_answer(question)
    assert answer.known, answer
    assert (answer.item.name, answer.passage.label) == (item, label)


@pytest.mark.parametrize("question", [
    "今天天气怎么样", "如何申请火星移民", "我想买一台电脑", "股票怎么开户", "附近有什么好吃的",
    "身份证号码是多少", "我的快递丢了怎么办", "怎么投诉邻居装修噪音",
])
def test_demo_questions_no_guide_answers_are_not_known(demo_catalogue, db, question):
    answer = consult.find_answer(question)
    assert not answer.known and answer.score < consult.KNOWN_THRESHOLD
