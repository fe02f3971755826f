"""After 送达 the applicant's and the clerk's case pages lead to the result: the 决定书 and the
licence, with the progress cards in the order the work was done."""

import re

from yiwang.cases import services as cases
from yiwang.cases.models import CaseTask, TaskKind
from yiwang.licences.models import Licence


def _cards(html: str) -> list[str]:
    progress = html[html.index("办理进度"):html.index("申请材料")]
    return re.findall(r"<li class=\"task-[a-z]+\"><strong>([^<]+)</strong>", progress)


def _delivered(client, sealed, user):
    """A delivered case and its licence, looked at by ``user``."""
    case = sealed.delivered()
    client.force_login(user)
    return case, Licence.objects.get(case=case)


def test_the_applicants_delivered_case_links_its_decision_and_licence(client, sealed):
    case, licence = _delivered(client, sealed, sealed.user)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert f'href="/cases/{case.pk}/decision/">准予行政许可决定书</a>' in html
    assert f'href="/licences/mine/{licence.pk}/">电子证照：食品经营许可证</a>' in html
    assert _cards(html) == ["受理", "食品安全审查", "卫生审查", "决定", "制证", "送达"]
    decision = client.get(f"/cases/{case.pk}/decision/").content.decode()
    assert "本机关决定予以批准" in decision and licence.identifier in decision
    assert "吉林省市场监督管理局" in decision


def test_a_denied_case_has_a_refusal_with_the_reason_and_the_remedies(client, sealed):
    case = sealed.accepted()
    for department, examiner, opinion in ((sealed.market, sealed.examiner, ""),
                                          (sealed.health, sealed.health_examiner, "卫生条件不达标")):
        task = CaseTask.objects.get(case=case, kind=TaskKind.REVIEW, department=department)
        cases.complete_review(task, examiner, approve=not opinion, opinion=opinion)
    cases.decide(case, sealed.decider, outcome="denied", reason="卫生条件不达标")
    client.force_login(sealed.user)
    decision = client.get(f"/cases/{case.pk}/decision/").content.decode()
    assert "不予行政许可决定书" in decision and "卫生条件不达标" in decision and "行政复议" in decision
    assert "电子证照" not in client.get(f"/cases/{case.pk}/").content.decode()


def test_an_undecided_case_has_no_decision(client, sealed):
    case = sealed.accepted()
    client.force_login(sealed.user)
    assert "决定书" not in client.get(f"/cases/{case.pk}/").content.decode()
    assert client.get(f"/cases/{case.pk}/decision/").status_code == 404


def test_the_clerks_case_page_links_the_decision_and_the_licence(client, sealed):
    case, licence = _delivered(client, sealed, sealed.acceptor)
    html = client.get(f"/workbench/cases/{case.pk}/").content.decode()
    assert f'href="/workbench/cases/{case.pk}/documents/decision/">准予行政许可决定书</a>' in html
    assert licence.identifier in html and f"/workbench/licences/{licence.pk}/" not in html
    document = client.get(f"/workbench/cases/{case.pk}/documents/decision/").content.decode()
    assert "准予行政许可决定书" in document and licence.identifier in document
    client.force_login(sealed.certifier)  # a 制证员 manages the licence itself
    html = client.get(f"/workbench/cases/{case.pk}/").content.decode()
    assert f'href="/workbench/licences/{licence.pk}/">食品经营许可证</a>' in html
