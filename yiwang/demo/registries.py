"""The demo's shared registries on the 数据共享交换平台, one for every ``data:`` source the demo
guides name, so that each such material can be taken from shared data instead of an upload
(免提交): 户籍信息 and 人口库相片 from the province's police, 市场主体登记信息 from its market
regulator, 社会保障卡金融账户 from human resources and social security, and 从业人员健康证明 from
the health commission, with a record for every demo person (the health certificate for the
people who work in food or public places) and company."""

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
PHOTO_FIELDS = [{"name": "taken_on", "label": "采集日期"}, {"name": "photo_no", "label": "相片编号"}]
BANK_FIELDS = [{"name": "bank", "label": "开户银行"}, {"name": "account", "label": "社会保障卡金融账号"}]
HEALTH_FIELDS = [{"name": "certificate_no", "label": "健康证明编号"},
                 {"name": "category", "label": "从业类别"}, {"name": "valid_until", "label": "有效期至"}]
# 张伟 and 王芳 run the demo's food businesses.
HEALTH_CERTIFIED = ("张伟", "王芳")
# 户籍地址 by the area of the ID number.
ADDRESSES = {"220104": "吉林省长春市朝阳区西民主大街{n}号", "220203": "吉林省吉林市龙潭区遵义东路{n}号"}
COMPANIES = (
    (COMPANY, "长春市净月高新技术产业开发区净月大街2888号", "500万元人民币", dt.date(2016, 4, 18)),
    (UNREGISTERED_COMPANY, "吉林省吉林市丰满区松花湖风景区1号", "1000万元人民币", dt.date(2012, 8, 6)),
)


def _provider(kind: str) -> Department:
    return Department.objects.get(uscc=department_uscc(PROVINCE, KIND_BY_KEY[kind].code))


def load_registries() -> int:
    """The registries and their records; the number of records."""
    def registry(code: str, name: str, provider: str, kind: str, fields: list) -> Registry:
        return Registry.objects.create(code=code, name=name, provider=_provider(provider),
                                       subject_kind=kind, fields=fields)

    hukou = registry("hukou", "户籍信息", "police", HolderKind.PERSON, HUKOU_FIELDS)
    photo = registry("id_photo", "人口库相片", "police", HolderKind.PERSON, PHOTO_FIELDS)
    bank = registry("sscard_bank", "社会保障卡金融账户", "hrss", HolderKind.PERSON, BANK_FIELDS)
    health = registry("health_cert", "从业人员健康证明", "health", HolderKind.PERSON, HEALTH_FIELDS)
    entity = registry("market_entity", "市场主体登记信息", "market", HolderKind.COMPANY, ENTITY_FIELDS)
    sent = timezone.now() - dt.timedelta(days=30)
    made = 0

    def put(target: Registry, number: str, name: str, data: dict) -> None:
        nonlocal made
        services.put_record(target, subject_id_number=number, subject_name=name, data=data,
                            updated_at=sent)
        made += 1

    for n, person in enumerate(PEOPLE, start=1):
        address = ADDRESSES.get(person.id_number[:6], ADDRESSES["220104"]).format(n=100 + n)
        put(hukou, person.id_number, person.name,
            {"address": address, "household_head": person.name, "relation": "户主"})
        put(photo, person.id_number, person.name,
            {"taken_on": "2024-05-20", "photo_no": f"JL{person.id_number[:6]}{n:06d}"})
        put(bank, person.id_number, person.name,
            {"bank": "中国工商银行吉林省分行", "account": f"6212 **** **** {1000 + n}"})
        if person.name in HEALTH_CERTIFIED:
            put(health, person.id_number, person.name,
                {"certificate_no": f"JKZ2026{n:06d}", "category": "食品生产经营",
                 "valid_until": (timezone.localdate() + dt.timedelta(days=300)).isoformat()})
    for (name, uscc, representative), domicile, capital, established in COMPANIES:
        put(entity, uscc, name, {
            "name": name, "kind": "有限责任公司（自然人投资或控股）", "legal_representative": representative,
            "domicile": domicile, "capital": capital, "established": established.isoformat()})
    return made
