"""个人信息加密存储: SM4-GCM ciphertext in the database, tamper and wrong-key detection, exact
look-ups and uniqueness through the SM3-HMAC blind index."""

from __future__ import annotations

import base64

import pytest
from django.core.exceptions import FieldError
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, connection, transaction
from tongsuopy.crypto.ciphers import Cipher, algorithms, modes

from tests.accounts import factories
from tests.cases.factories import World
from yiwang.accounts.backends import user_for_identifier
from yiwang.accounts.models import Citizen, Company, VerificationCode
from yiwang.cases.models import Case
from yiwang.common import personal_data
from yiwang.common.personal_data import PersonalDataError
from yiwang.notify.models import Message

CONTEXT = "accounts.citizen.id_number"
ID_NUMBER = "22010419860101002X"


def raw(model, column: str, pk) -> str:
    table, quote = model._meta.db_table, connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote(column)} FROM {quote(table)} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def write_raw(model, column: str, pk, value: str) -> None:
    table, quote = model._meta.db_table, connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE id = %s",
                       [value, pk])


def flip_last_byte(token: str) -> str:
    scheme, key_id, encoded = token.split(":")
    data = bytearray(base64.urlsafe_b64decode(encoded))
    data[-1] ^= 0x01
    return f"{scheme}:{key_id}:{base64.urlsafe_b64encode(bytes(data)).decode()}"


# --- the cipher ---------------------------------------------------------------------------------


def test_tongsuo_sm4_gcm_gives_the_rfc_8998_test_vector():
    key = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(bytes.fromhex("00001234567800000000ABCD"))
                       ).encryptor()
    encryptor.authenticate_additional_data(
        bytes.fromhex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2"))
    plain = bytes.fromhex("".join(byte * 8 for byte in ("AA", "BB", "CC", "DD", "EE", "FF", "EE",
                                                        "AA")))
    sealed = encryptor.update(plain) + encryptor.finalize()
    assert sealed.hex().upper() == (
        "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735"
        "D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D")
    assert encryptor.tag.hex().upper() == "83DE3541E4C2B58177E065A9BF7B62EC"


def test_a_value_round_trips_and_two_encryptions_differ():
    first, second = (personal_data.encrypt("长春市净月区净月大街 1 号", CONTEXT) for _ in range(2))
    assert first != second  # a random nonce per value
    assert first.startswith("sm4gcm:dev:") and "净月" not in first
    assert personal_data.decrypt(first, CONTEXT) == personal_data.decrypt(second, CONTEXT) == (
        "长春市净月区净月大街 1 号")


def test_a_modified_ciphertext_raises_instead_of_returning_garbage():
    token = personal_data.encrypt(ID_NUMBER, CONTEXT)
    with pytest.raises(PersonalDataError) as caught:
        personal_data.decrypt(flip_last_byte(token), CONTEXT)
    assert caught.value.code == "personal_data.tampered"
    assert ID_NUMBER not in str(caught.value)


def test_a_ciphertext_moved_to_another_column_does_not_decrypt():
    token = personal_data.encrypt(ID_NUMBER, CONTEXT)
    with pytest.raises(PersonalDataError) as caught:
        personal_data.decrypt(token, "accounts.citizen.mobile")
    assert caught.value.code == "personal_data.tampered"


def test_a_wrong_key_under_the_same_id_is_detected(settings):
    token = personal_data.encrypt(ID_NUMBER, CONTEXT)
    settings.PERSONAL_DATA_KEYS = {"dev": bytes(16)}
    with pytest.raises(PersonalDataError) as caught:
        personal_data.decrypt(token, CONTEXT)
    assert caught.value.code == "personal_data.tampered"


def test_a_key_id_the_site_does_not_hold_is_named(settings):
    token = personal_data.encrypt(ID_NUMBER, CONTEXT)
    settings.PERSONAL_DATA_KEYS = {"k2": bytes(16)}
    settings.PERSONAL_DATA_KEY_ID = "k2"
    with pytest.raises(PersonalDataError) as caught:
        personal_data.decrypt(token, CONTEXT)
    assert caught.value.code == "personal_data.unknown_key" and "“dev”" in str(caught.value)


@pytest.mark.parametrize("stored", [ID_NUMBER, "sm4gcm:dev:", "sm4gcm:dev:@@@", "sm4gcm:dev:AAAA"])
def test_plaintext_or_a_broken_value_is_refused(stored):
    with pytest.raises(PersonalDataError) as caught:
        personal_data.decrypt(stored, CONTEXT)
    assert caught.value.code == "personal_data.malformed"


def test_the_index_normalises_and_uses_its_own_key(settings):
    digest = personal_data.blind_index(ID_NUMBER, "id_number")
    assert digest == personal_data.blind_index(" " + ID_NUMBER.lower(), "id_number")
    assert len(digest) == 64 and personal_data.blind_index("", "id_number") == ""
    assert personal_data.blind_index("139-0431-0001", "mobile") == personal_data.blind_index(
        "13904310001", "mobile")
    token = personal_data.encrypt(ID_NUMBER, CONTEXT)
    settings.PERSONAL_DATA_INDEX_KEYS = [b"\x01" * 32]
    assert personal_data.blind_index(ID_NUMBER, "id_number") != digest
    assert personal_data.decrypt(token, CONTEXT) == ID_NUMBER  # the SM4 key did not change


# --- in the database ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_database_holds_only_ciphertext_of_numbers_and_addresses():
    world = World()
    person = world.applicant
    case = world.submitted()
    company = factories.company(person)
    company.contact_phone, company.address = "0431-88886666", "长春市净月区净月大街 1 号"
    company.save()
    code = VerificationCode.objects.create(purpose="register", mobile="13900000007", code_hash="x",
                                           expires_at=case.submitted_at)
    message = Message.objects.create(channel="sms", address=person.mobile, body="您好")
    stored = {
        (Citizen, "id_number", person.pk): person.id_number,
        (Citizen, "mobile", person.pk): person.mobile,
        (Case, "applicant_id_number", case.pk): person.id_number,
        (Case, "contact_mobile", case.pk): person.mobile,
        (Company, "address", company.pk): "长春市净月区净月大街 1 号",
        (Company, "contact_phone", company.pk): "0431-88886666",
        (VerificationCode, "mobile", code.pk): "13900000007",
        (Message, "address", message.pk): person.mobile,
    }
    case.form_data = {**case.form_data, "address": "长春市朝阳区人民大街 1 号", "id_number": person.id_number}
    case.save(update_fields=["form_data"])
    stored[(Case, "form_data", case.pk)] = case.form_data
    for (model, column, pk), plain in stored.items():
        value = raw(model, column, pk)
        assert value.startswith("sm4gcm:dev:"), (model, column)
        for text in (person.id_number, person.mobile, "13900000007", "0431", "大街"):
            assert text not in value, (model, column, text)
        assert getattr(model.objects.get(pk=pk), column) == plain
    everything = "".join(str(raw(Citizen, c.column, person.pk)) for c in Citizen._meta.concrete_fields)
    assert person.id_number not in everything and person.mobile not in everything
    assert raw(Citizen, "id_number_index", person.pk) == personal_data.blind_index(
        person.id_number, "id_number")


@pytest.mark.django_db
def test_a_json_document_round_trips_and_cannot_be_searched_inside():
    case = World().submitted()
    answers = {"名称": "净月潭小吃店", "人数": 3, "营业": True, "范围": ["热食", "冷食"], "空": None}
    case.form_data = answers
    case.full_clean(exclude=["number", "submission_key"])
    assert case.form_data == answers  # full_clean leaves the document a document
    case.save()
    assert Case.objects.values_list("form_data", flat=True).get(pk=case.pk) == answers
    with pytest.raises(FieldError):
        list(Case.objects.filter(form_data__名称="净月潭小吃店"))


@pytest.mark.django_db
def test_a_value_changed_in_the_database_fails_loudly_when_read():
    person = factories.citizen(id_number=ID_NUMBER)
    write_raw(Citizen, "id_number", person.pk, flip_last_byte(raw(Citizen, "id_number", person.pk)))
    with pytest.raises(PersonalDataError) as caught:
        Citizen.objects.get(pk=person.pk)
    assert caught.value.code == "personal_data.tampered"
    assert "accounts.citizen.id_number" in str(caught.value)


@pytest.mark.django_db
def test_a_ciphertext_copied_from_another_row_of_another_column_is_refused():
    person = factories.citizen()
    write_raw(Citizen, "mobile", person.pk, raw(Citizen, "id_number", person.pk))
    with pytest.raises(PersonalDataError):
        Citizen.objects.get(pk=person.pk)


@pytest.mark.django_db
def test_exact_look_ups_go_through_the_index():
    person = factories.citizen(id_number=ID_NUMBER)
    other = factories.citizen()
    assert Citizen.objects.get(id_number=ID_NUMBER.lower()) == person
    assert Citizen.objects.get(id_number__iexact=ID_NUMBER) == person
    assert Citizen.objects.get(mobile=person.mobile) == person
    assert set(Citizen.objects.filter(id_number__in=[ID_NUMBER, other.id_number])) == {person, other}
    assert list(Citizen.objects.exclude(id_number=ID_NUMBER)) == [other]
    assert Citizen.objects.filter(user__citizen__mobile=other.mobile).get() == other
    assert not Citizen.objects.filter(id_number="220104198601010000").exists()
    assert user_for_identifier(ID_NUMBER.lower()) == person.user
    assert user_for_identifier(person.mobile) == person.user
    sql = str(Citizen.objects.filter(id_number=ID_NUMBER).query)
    assert ID_NUMBER not in sql and personal_data.blind_index(ID_NUMBER, "id_number") in sql


@pytest.mark.django_db
def test_anything_but_an_exact_look_up_is_refused():
    with pytest.raises(FieldError):
        list(Citizen.objects.filter(id_number__startswith="2201"))
    with pytest.raises(FieldError):
        list(Company.objects.filter(address="长春"))  # no index: no look-up at all


@pytest.mark.django_db
def test_old_index_keys_still_find_rows_until_reindexed(settings):
    person = factories.citizen(id_number=ID_NUMBER)
    settings.PERSONAL_DATA_INDEX_KEYS = [b"\x02" * 32, *settings.PERSONAL_DATA_INDEX_KEYS]
    assert Citizen.objects.get(id_number=ID_NUMBER) == person
    settings.PERSONAL_DATA_INDEX_KEYS = settings.PERSONAL_DATA_INDEX_KEYS[:1]
    assert not Citizen.objects.filter(id_number=ID_NUMBER).exists()


@pytest.mark.django_db
def test_saving_only_the_number_also_saves_its_index():
    person = factories.citizen()
    person.mobile = "13700000001"
    person.save(update_fields=["mobile"])
    assert Citizen.objects.get(mobile="13700000001") == person
    assert raw(Citizen, "mobile_index", person.pk) == personal_data.blind_index("13700000001",
                                                                                "mobile")


@pytest.mark.django_db
def test_uniqueness_is_enforced_on_the_index():
    person = factories.citizen(id_number=ID_NUMBER)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.citizen(id_number=ID_NUMBER.lower())
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.citizen(mobile=person.mobile)
    twin = Citizen(user=person.user, name="李四", id_number=ID_NUMBER, mobile="13700000002")
    with pytest.raises(DjangoValidationError) as caught:
        twin.validate_unique()
    assert set(caught.value.error_dict) >= {"id_number"}


@pytest.mark.django_db
def test_the_plaintext_length_is_validated_as_before():
    person = factories.citizen()
    person.mobile = "1" * 12
    with pytest.raises(DjangoValidationError) as caught:
        person.full_clean()
    assert set(caught.value.error_dict) == {"mobile"}
