"""个人信息密钥轮换: ``manage.py rotate_personal_data_key`` re-encrypts every value under the new
key and re-indexes it under the new index key, in committed batches that a second run resumes;
afterwards the old keys can go and everything still reads and is still found."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from tests.accounts import factories
from tests.cases.factories import World
from tests.common.test_personal_data import raw, write_raw
from yiwang.accounts.backends import user_for_identifier
from yiwang.accounts.models import Citizen, PopulationRecord
from yiwang.cases.models import Case
from yiwang.cases.selectors import progress_lookup
from yiwang.common import personal_data
from yiwang.common.fields import rewrite_table

NEW_KEY, NEW_INDEX_KEY = b"\x11" * 16, b"\x22" * 32


@pytest.fixture
def people(db):
    world = World()
    case = world.submitted()
    extra = [factories.citizen() for _ in range(4)]
    factories.population("张三", extra[0].id_number)
    return world.applicant, case, extra


def new_keys(settings, *, keep_old: bool) -> None:
    old_keys, old_index = dict(settings.PERSONAL_DATA_KEYS), list(settings.PERSONAL_DATA_INDEX_KEYS)
    settings.PERSONAL_DATA_KEY_ID = "k2"
    settings.PERSONAL_DATA_KEYS = {"k2": NEW_KEY, **(old_keys if keep_old else {})}
    settings.PERSONAL_DATA_INDEX_KEYS = [NEW_INDEX_KEY, *(old_index if keep_old else [])]


def test_rotation_moves_everything_to_the_new_keys_and_the_old_ones_can_go(settings, people):
    applicant, case, extra = people
    new_keys(settings, keep_old=True)
    with pytest.raises(CommandError, match="未使用当前密钥"):
        call_command("rotate_personal_data_key", "--check", stdout=None)
    call_command("rotate_personal_data_key", batch_size=2)
    for person in [applicant, *extra]:
        assert raw(Citizen, "id_number", person.pk).startswith("sm4gcm:k2:")
        assert raw(Citizen, "mobile_index", person.pk) == personal_data.blind_index(
            person.mobile, "mobile", key=NEW_INDEX_KEY)
    assert raw(Case, "applicant_id_number", case.pk).startswith("sm4gcm:k2:")

    new_keys(settings, keep_old=False)
    call_command("rotate_personal_data_key", "--check")
    assert user_for_identifier(applicant.id_number) == applicant.user
    assert user_for_identifier(extra[2].mobile) == extra[2].user
    assert PopulationRecord.objects.get(id_number=extra[0].id_number).name == "张三"
    assert progress_lookup(case.number, applicant.id_number) == case
    assert Citizen.objects.get(pk=applicant.pk).mobile == applicant.mobile


def test_an_interrupted_rotation_keeps_its_finished_batches_and_a_second_run_finishes(
        settings, people, monkeypatch):
    new_keys(settings, keep_old=True)
    encrypt, calls = personal_data.encrypt, []

    def failing(plain, context, **kwargs):
        calls.append(context)
        if len(calls) == 5:
            raise RuntimeError("power cut")
        return encrypt(plain, context, **kwargs)

    monkeypatch.setattr(personal_data, "encrypt", failing)
    with pytest.raises(RuntimeError):
        call_command("rotate_personal_data_key", batch_size=1)
    key_ids = {personal_data.key_id_of(raw(Citizen, "id_number", c.pk)) for c in Citizen.objects.all()}
    assert key_ids == {"dev", "k2"}  # batches before the failure committed, its own rolled back
    monkeypatch.setattr(personal_data, "encrypt", encrypt)
    call_command("rotate_personal_data_key", batch_size=1)
    new_keys(settings, keep_old=False)
    call_command("rotate_personal_data_key", "--check")
    assert all(c.id_number for c in Citizen.objects.all())


def test_a_value_under_a_key_no_longer_configured_stops_the_rotation_with_its_table(settings,
                                                                                    people):
    new_keys(settings, keep_old=False)  # the old key dropped too early
    with pytest.raises(CommandError) as caught:
        call_command("rotate_personal_data_key")
    assert "personal_data.unknown_key" in str(caught.value)


def test_the_batch_size_must_be_positive(db):
    with pytest.raises(CommandError, match="正整数"):
        call_command("rotate_personal_data_key", batch_size=0)


def test_plaintext_left_by_an_older_release_is_encrypted_by_the_rewrite(people):
    """What the migrations' data step does with the rows there are, JSON documents included."""
    applicant, case, _ = people
    write_raw(Case, "form_data", case.pk, '{"address": "长春市朝阳区人民大街 1 号"}')
    write_raw(Citizen, "mobile", applicant.pk, applicant.mobile)
    result = rewrite_table(Case)
    assert result.plaintext == 1 and result.changed == 1
    assert rewrite_table(Citizen).plaintext == 1
    assert raw(Case, "form_data", case.pk).startswith("sm4gcm:dev:")
    assert Case.objects.get(pk=case.pk).form_data == {"address": "长春市朝阳区人民大街 1 号"}
    assert Citizen.objects.get(mobile=applicant.mobile) == applicant
    assert rewrite_table(Case).changed == 0  # a second run finds nothing to do
