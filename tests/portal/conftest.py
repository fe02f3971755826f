import pytest

from tests.cases.factories import World
from yiwang.catalog.models import Audience, Topic

from .factories import publish_item


@pytest.fixture
def birth(db):
    return Topic.objects.create(kind=Topic.Kind.LIFE_EVENT, audience=Audience.PERSON, name="出生",
                                slug="birth", order=1)


@pytest.fixture
def company_start(db):
    return Topic.objects.create(kind=Topic.Kind.LIFE_EVENT, audience=Audience.COMPANY,
                                name="开办企业", slug="start-business", order=1)


@pytest.fixture
def social_security(db):
    return Topic.objects.create(kind=Topic.Kind.THEME, name="社会保障", slug="social-security")


@pytest.fixture
def item(department, social_security):
    """A published 承诺件 of 吉林省公安厅 with two materials (guide_data's defaults)."""
    return publish_item(department, topics=[social_security])


@pytest.fixture
def world(db):
    """The case world of tests/cases (a two-department item, its staff, 王芳 and 赵强)."""
    return World()


@pytest.fixture
def signed_in(client, world):
    """The client, logged in as the world's applicant 王芳."""
    client.force_login(world.user)
    return client
