"""For the 预填 tests: forms whose fields the platform knows, a 一件事 of two such items, and
the population registry's 户籍信息 with its address declared as ``person.address``."""

from __future__ import annotations

from tests.factories import guide_data
from tests.portal.factories import publish_bundle, publish_item
from yiwang.cases.models import Bundle
from yiwang.exchange import services as exchange
from yiwang.exchange.models import Registry
from yiwang.licences.models import HolderKind

ADDRESS_FORM = [
    {"name": "applicant_name", "label": "申请人姓名", "type": "text", "required": True},
    {"name": "address", "label": "联系地址", "type": "text", "required": True, "max_length": 200},
    {"name": "shop_name", "label": "店铺名称", "type": "text", "required": True, "max_length": 60},
]
HUKOU_ADDRESS = "吉林省长春市净月区永顺路1号"


def address_item(world, name: str = "户外广告设置许可", *, department=None, **guide):
    return publish_item(department or world.market,
                        **guide_data(name=name, form_definition=ADDRESS_FORM, **guide))


def address_bundle(world) -> Bundle:
    """开店: an item of each department, both asking for the applicant's 联系地址."""
    return publish_bundle(world.market, [
        address_item(world), address_item(world, "公共场所卫生许可", department=world.health)],
        slug="open-shop", name="开店")


def hukou(world) -> Registry:
    """户籍信息 of 王芳, whose 户籍地址 may fill a form's ``person.address``."""
    registry = Registry.objects.create(
        code="hukou", name="户籍信息", provider=world.other, subject_kind=HolderKind.PERSON,
        fields=[{"name": "address", "label": "户籍地址", "key": "person.address"}])
    exchange.put_record(registry, actor=None, subject_id_number=world.applicant.id_number,
                        subject_name="王芳", data={"address": HUKOU_ADDRESS})
    return registry
