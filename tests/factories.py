"""Factories shared by every app's tests. USCCs get a correct check digit from python-stdnum."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from stdnum.cn import uscc as uscc_std

from yiwang.catalog.models import Topic
from yiwang.orgs.models import Department, Membership
from yiwang.regions.models import Region, RegionLevel


def make_uscc(n: int) -> str:
    """A valid 统一社会信用代码 for a government organ (11) in Jilin (220000)."""
    body = f"11220000{n:09d}"
    return body + uscc_std.calc_check_digit(body)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "220000"
    name = "吉林省"
    level = RegionLevel.PROVINCE
    path = factory.LazyAttribute(lambda o: f"{o.code}/")
    full_name = factory.LazyAttribute(lambda o: o.name)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"测试部门{n}")
    uscc = factory.Sequence(lambda n: make_uscc(n + 1))
    code = factory.Sequence(lambda n: f"{(n % 89) + 10:02d}")
    region = factory.SubFactory(RegionFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")


def staff(department: Department, *roles: str, username: str | None = None):
    user = UserFactory(**({"username": username} if username else {}))
    user.save()
    for role in roles:
        Membership.objects.create(user=user, department=department, role=role)
    return user


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    kind = Topic.Kind.LIFE_EVENT
    name = "出生"
    slug = "birth"


def id_card_type():
    """The licence type (居民身份证, ``jmsfz``) that guide_data's first material may be replaced
    by: an item's page promises 免提交 only for a source the platform provides."""
    from yiwang.licences.models import LicenceType

    return LicenceType.objects.get_or_create(code="jmsfz", defaults={
        "name": "居民身份证", "issuer_kind": "公安机关"})[0]


def guide_data(**overrides) -> dict:
    """A complete, valid guide for a 承诺件."""
    data = {
        "name": "居民身份证换领",
        "aliases": "身份证换证、身份证到期换领",
        "audience": "person",
        "legal_basis": "《中华人民共和国居民身份证法》第十一条",
        "conditions": "居民身份证有效期满的本省户籍居民",
        "handling_kind": "2",
        "legal_time_limit": 60,
        "promised_time_limit": 20,
        "visits": 1,
        "online_depth": 4,
        "min_assurance_level": 1,
        "location": "各县（市、区）公安局户政服务大厅",
        "office_hours": "工作日 8:30-11:30 13:30-17:00",
        "consult_phone": "0431-12345",
        "supervise_phone": "12345",
        "result_name": "居民身份证",
        "result_licence_type": "jmsfz",
        "retention_period": "D30",
        "process_steps": [{"name": "申请", "description": "网上或窗口提交申请"},
                          {"name": "受理", "description": "窗口核验并采集指纹"}],
        "fees": [{"name": "工本费", "amount": "20.00", "basis": "发改价格〔2003〕2322号"}],
        "channels": ["pc", "mobile", "hall"],
        "single_window": True,
        "commitment_allowed": False,
        "form_definition": [
            {"name": "applicant_name", "label": "申请人姓名", "type": "text", "required": True,
             "max_length": 50},
            {"name": "id_number", "label": "居民身份证号", "type": "id_number", "required": True},
        ],
        "materials": [
            {"name": "原居民身份证", "necessity": "required", "form": "paper", "paper_copies": 1,
             "source": "government", "exemption_source": "licence:jmsfz"},
            {"name": "户口簿", "necessity": "tolerated", "form": "electronic", "source": "government"},
        ],
        "faqs": [],
    }
    data.update(overrides)
    return data
