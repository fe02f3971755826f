"""``manage.py load_demo --reset``: a fresh demo on the same database (no new virtualenv, no new
migrations), only on a debug site."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from tests.catalog.searchkit import isolated_search_index
from yiwang.catalog.models import ImportJob, ServiceItem
from yiwang.catalog.search.engine import search
from yiwang.demo import loader
from yiwang.seals.models import Seal

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def own_search_index(settings, tmp_path):
    yield from isolated_search_index(settings, tmp_path)


@pytest.mark.django_db(transaction=True)
def test_reset_deletes_everything_and_loads_a_fresh_searchable_demo(settings, tmp_path):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path / "media"
    # What a demo looks like after some use: someone's account, an account the demo also has,
    # and an uploaded file.
    get_user_model().objects.create_user("someone-else", password="x" * 16)
    get_user_model().objects.create_user("admin", password="x" * 16, first_name="改过的")
    upload = ImportJob.objects.create(file=ContentFile(b"name\n", name="items.csv"),
                                      original_name="items.csv", file_format="csv").file.name
    assert default_storage.exists(upload)
    out = StringIO()
    call_command("load_demo", "--reset", "--no-input", stdout=out)
    assert "已载入演示数据" in out.getvalue() and "原有数据已清空" in out.getvalue()
    assert not get_user_model().objects.filter(username="someone-else").exists()
    admin = get_user_model().objects.get(username="admin")
    assert admin.first_name == "" and admin.check_password(loader.DEMO_PASSWORD)
    assert ServiceItem.objects.filter(published_version__name="居民身份证换领").count() == 3
    assert "居民身份证换领" in {hit.name for hit in search("居民身份证换领").hits}
    assert not default_storage.exists(upload)
    assert all(default_storage.exists(seal.image.name) for seal in Seal.objects.all())


@pytest.mark.django_db
def test_reset_is_refused_outside_a_debug_site_and_deletes_nothing(settings):
    settings.DEBUG = False
    get_user_model().objects.create_user("citizen", password="x" * 16)
    with pytest.raises(CommandError, match="只有开发或演示环境"):
        call_command("load_demo", "--reset", "--no-input", stdout=StringIO())
    assert get_user_model().objects.filter(username="citizen").exists()


@pytest.mark.django_db
def test_reset_asks_first_and_an_answer_other_than_yes_changes_nothing(settings, monkeypatch):
    settings.DEBUG = True
    get_user_model().objects.create_user("citizen", password="x" * 16)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="已取消"):
        call_command("load_demo", "--reset", stdout=StringIO())
    assert get_user_model().objects.filter(username="citizen").exists()
