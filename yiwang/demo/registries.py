"""The demo's shared registries on the 数据共享交换平台: 户籍信息 from the province's police and
市场主体登记信息 from its market regulator, with a record for every demo person and company, so
that a guide's 居民户口簿 (data:hukou) or 营业执照 (data:market_entity) can be taken from shared
data instead of an upload (免提交)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from yiwang.exchange import services
from yiwang.exchange.models import Registry
from yiwang.licences.models import HolderKind
from yiwang.orgs.models import Department

from .identities import COMPANY, PEOPLE, UNREGISTERED_COMPANY
from .places import KIND_BY_KEY, department_uscc

PROVINCE = "220000"
HUKOU_FIELDS = [{"name": "address", "label": "户籍地址"}, {"name": "household_head", "label": "户主"},
                {"name": "relation", "label": "与户主关系"}]
ENTITY_FIELDS = [{"name": "name", "label": "名称"}, {"name": "kind", "label": "类型"},
                 {"name": "legal_representative", "label": "法定代表人"},
                 {"name": "domicile", "label": "住所"}, {"name": "capital", "label": "注册资本"},
                 {"name": "established", "label": "成立日期"}]
# 户籍地址 by the area of the ID number.
ADDRESSES = {"220104": "吉林省长春市朝阳区西民主大街{n}号", "220203": "吉林省吉林市龙潭区遵义东路{n}号"}
COMPANIES = (
    (COMPANY, "长春市净月高新技术产业开发区净月大街2888号", "500万元人民币", dt.date(2016, 4, 18)),
    (UNREGISTERED_COMPANY, "吉林省吉林市丰满区松花湖风景区1号", "1000万元人民币", dt.date(2012, 8, 6)),
)


def _provider(kind: str) -> Department:
    return Department.objects.get(uscc=department_uscc(PROVINCE, KIND_BY_KEY[kind].code))


def load_registries() -> int:
    """The two registries and their records; the number of records."""
    hukou = Registry.objects.create(code="hukou", name="户籍信息", provider=_provider("police"),
                                    subject_kind=HolderKind.PERSON, fields=HUKOU_FIELDS)
    entity = Registry.objects.create(code="market_entity", name="市场主体登记信息",
                                     provider=_provider("market"), subject_kind=HolderKind.COMPANY,
                                     fields=ENTITY_FIELDS)
    sent = timezone.now() - dt.timedelta(days=30)
    made = 0
    for n, person in enumerate(PEOPLE, start=1):
        address = ADDRESSES.get(person.id_number[:6], ADDRESSES["220104"]).format(n=100 + n)
        services.put_record(hukou, subject_id_number=person.id_number, subject_name=person.name,
                            data={"address": address, "household_head": person.name, "relation": "户主"},
                            updated_at=sent)
        made += 1
    for (name, uscc, representative), domicile, capital, established in COMPANIES:
        services.put_record(entity, subject_id_number=uscc, subject_name=name, updated_at=sent, data={
            "name": name, "kind": "有限责任公司（自然人投资或控股）", "legal_representative": representative,
            "domicile": domicile, "capital": capital, "established": established.isoformat()})
        made += 1
    return made
