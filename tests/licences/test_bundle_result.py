"""The combined result of a 一件事 names each item's licence with its link and how the result
was handed over, once the last case is final; the progress page shows the same, with each
decided item's 决定书."""

from tests.cases.factories import pdf
from yiwang.cases import services as cases
from yiwang.cases.models import CaseTask, TaskKind
from yiwang.licences.models import Licence
from yiwang.notify.models import Channel, Message


def test_the_combined_result_lists_the_licence_and_its_delivery(sealed, client):
    world = sealed
    application = cases.start_bundle(world.user, world.bundle())
    cases.save_bundle_draft(application, world.user, {**world.form(), "seats": "20"})
    for material in cases.merged_form(application.version).materials:
        cases.attach_bundle_file(application, world.user, material.key, pdf())
    cases.submit_bundle(application, world.user)
    food, second = cases.accept_bundle(application, world.acceptor)
    for department, examiner in ((world.market, world.examiner), (world.health, world.health_examiner)):
        cases.complete_review(CaseTask.objects.get(case=food, kind=TaskKind.REVIEW, department=department),
                              examiner, approve=True)
    certified = cases.certify(cases.decide(food, world.decider, outcome="approved"), world.certifier)
    client.force_login(world.user)
    assert "结果已制作，等待送达或领取" in client.get(
        f"/bundles/applications/{application.pk}/").content.decode()
    cases.deliver(certified, world.certifier, method="online")
    waiting = client.get(f"/bundles/applications/{application.pk}/").content.decode()
    assert "还有 1 项在办理" in waiting and "公共场所卫生许可" in waiting
    assert world.health.name in waiting

    cases.withdraw(second, world.user, "场所不属于公共场所")
    licence = Licence.objects.get(case=food)
    [notice] = Message.objects.filter(user=world.user, channel=Channel.INBOX,
                                      subject__contains="已全部办结")
    assert f"电子证照：{licence.identifier}（/licences/mine/{licence.pk}/）" in notice.body
    assert "结果已网上送达" in notice.body and "公共场所卫生许可" in notice.body and "已撤回" in notice.body
    done = client.get(f"/bundles/applications/{application.pk}/").content.decode()
    assert "还有" not in done and "已发送结果通知" in done
    assert f'href="/licences/mine/{licence.pk}/"' in done and "结果已网上送达" in done
    # The 决定书 of the decided item is linked from the result; the withdrawn one has none.
    assert f'href="/cases/{food.pk}/decision/"' in done
    assert f'href="/cases/{second.pk}/decision/"' not in done
