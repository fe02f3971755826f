"""Rows written before personal data was encrypted are encrypted and indexed by the migration
(and written back in plaintext by its reverse), so existing accounts keep logging in."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.accounts.factories import make_id_number
from tests.common.test_personal_data import raw
from tests.factories import UserFactory
from yiwang.accounts.backends import user_for_identifier
from yiwang.accounts.models import Citizen, Company, PopulationRecord
from yiwang.common import personal_data

BEFORE = [("accounts", "0003_authevent_role_kinds")]
AFTER = [("accounts", "0004_encrypt_personal_data")]


@pytest.mark.django_db(transaction=True)
def test_existing_rows_are_encrypted_and_indexed_and_the_reverse_restores_them():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    numbers = [make_id_number(n).lower() for n in (1, 2)]  # a lower-case x is found as X
    users = [UserFactory(username=f"old-{n}") for n in (1, 2)]
    OldCitizen = old.get_model("accounts", "Citizen")
    citizens = [OldCitizen.objects.create(user_id=user.pk, name="王芳", id_number=number,
                                          mobile=f"1390000000{n}")
                for n, (user, number) in enumerate(zip(users, numbers, strict=True))]
    old.get_model("accounts", "PopulationRecord").objects.create(id_number=numbers[0], name="王芳")
    company = old.get_model("accounts", "Company").objects.create(
        uscc="91220100MA00000011", name="长春测试有限公司", legal_representative_id=citizens[0].pk,
        address="长春市朝阳区人民大街 1 号")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    for citizen, number in zip(citizens, numbers, strict=True):
        stored = raw(Citizen, "id_number", citizen.pk)
        assert stored.startswith("sm4gcm:dev:") and number not in stored.lower()
        assert raw(Citizen, "id_number_index", citizen.pk) == personal_data.blind_index(
            number, "id_number")
    assert "人民大街" not in raw(Company, "address", company.pk)

    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert user_for_identifier(numbers[1].upper()) == users[1]
    assert user_for_identifier("13900000000") == users[0]
    assert PopulationRecord.objects.get(id_number=numbers[0]).name == "王芳"
    assert Company.objects.get(pk=company.pk).address == "长春市朝阳区人民大街 1 号"

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    assert raw(Citizen, "id_number", citizens[0].pk) == numbers[0]
    assert raw(Citizen, "mobile", citizens[1].pk) == "13900000001"
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
