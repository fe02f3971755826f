"""Signing and verifying in batches: the same records and verdicts as one at a time, with the
per-batch costs (permission, lock, key, audit turn, lookups) paid once."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from yiwang.common.errors import PermissionDenied, ValidationError
from yiwang.seals import crypto, services
from yiwang.seals.models import SealUse
from yiwang.supervision.audit import verify_chain
from yiwang.supervision.models import AuditRecord


def test_a_batch_records_every_signature_and_audits_them_in_one_chain_record(world, seal, licence_data):
    items = [({**licence_data, "n": n}, f"核发第{n}张") for n in range(5)]

    signatures = services.sign_many(seal, items, actor=world.certifier)

    uses = list(SealUse.objects.filter(seal=seal).order_by("pk"))
    [audited] = AuditRecord.objects.filter(kind="seal.signed")
    assert [u.purpose for u in uses] == [purpose for _, purpose in items]
    # Written by one parameterised INSERT: the time and the actor read back as the model's fields.
    signed_at = dt.datetime.fromisoformat(signatures[0]["signed_at"])
    assert {(u.signed_at, u.actor, u.actor_name, u.seal) for u in uses} == {
        (signed_at, world.certifier, "certifier", seal)}
    assert audited.data["uses"] == [{"purpose": u.purpose, "data_hash": u.data_hash,
                                     "signature_id": u.signature_id} for u in uses]
    assert audited.summary == f"certifier以{seal}用印5次：核发第0张等"
    assert len({s["signature"] for s in signatures}) == 5
    assert verify_chain().ok
    for (data, _), signature in zip(items, signatures, strict=True):
        assert services.verify(data, signature).ok


def test_a_batch_costs_the_same_statements_as_one_signature(world, seal, licence_data):
    with CaptureQueriesContext(connection) as one:
        services.sign_many(seal, [(licence_data, "核发")], actor=world.certifier)
    with CaptureQueriesContext(connection) as fifty:
        services.sign_many(seal, [({**licence_data, "n": n}, "核发") for n in range(50)],
                           actor=world.certifier)

    assert len(fifty.captured_queries) == len(one.captured_queries)
    assert SealUse.objects.filter(seal=seal).count() == 51


def test_one_bad_item_signs_nothing(world, seal, licence_data):
    before = AuditRecord.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.sign_many(seal, [(licence_data, "核发"), ({"x": 1.5}, "核发")], actor=world.certifier)

    assert refused.value.code == "seal.data_not_canonical"
    assert not SealUse.objects.exists()
    assert AuditRecord.objects.count() == before


def test_a_batch_by_a_clerk_of_another_department_is_refused(world, seal, licence_data):
    with pytest.raises(PermissionDenied):
        services.sign_many(seal, [(licence_data, "核发")], actor=world.health_certifier)
    assert not SealUse.objects.exists()


def test_verify_many_gives_each_pair_its_own_verdict_in_two_queries(world, seal, licence_data):
    good = services.sign(seal, licence_data, actor=world.certifier, purpose="核发")
    other = services.sign(seal, {**licence_data, "n": 2}, actor=world.certifier, purpose="核发")
    forged = {**good, "signature": other["signature"]}
    pairs = [(licence_data, good), ({**licence_data, "holder": "别人"}, good),
             (licence_data, forged), (licence_data, "not a signature"),
             ({**licence_data, "n": 2}, other)]

    with CaptureQueriesContext(connection) as queries:
        verdicts = services.verify_many(pairs)

    assert [v.code for v in verdicts] == ["seal.valid", "seal.data_tampered", "seal.bad_signature",
                                          "seal.malformed", "seal.valid"]
    assert verdicts == [services.verify(data, signature) for data, signature in pairs]
    assert len(queries.captured_queries) == 2  # the use records, the seals


def test_verify_many_tells_an_unrecorded_signature_from_a_recorded_one(world, seal, licence_data):
    recorded = services.sign(seal, licence_data, actor=world.certifier, purpose="核发")
    unrecorded = services.sign(seal, {**licence_data, "n": 2}, actor=world.certifier, purpose="核发")
    # As if the key had signed outside the platform: a valid signature nobody recorded.
    SealUse.objects.filter(data_hash=unrecorded["data_hash"]).delete()

    verdicts = services.verify_many([(licence_data, recorded), ({**licence_data, "n": 2}, unrecorded)])

    assert [v.code for v in verdicts] == ["seal.valid", "seal.unrecorded"]
    assert crypto.verify_with_public_key(seal.public_key_pem, services.signed_message(unrecorded),
                                         base64.b64decode(unrecorded["signature"]))


_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)


@given(name=_text, department=_text, signer=_text,
       hashes=st.lists(st.text("0123456789abcdef", min_size=64, max_size=64), max_size=3))
def test_a_batch_builds_each_message_as_the_structure_s_own_canonical_form(name, department,
                                                                          signer, hashes):
    # Quotes, backslashes, marker-like runs of zeros and '"data_hash":"' itself in the names.
    base = {"version": 1, "seal": {"code": "0" * 64, "name": name, "department": department,
                                   "department_uscc": '"data_hash":"', "kind": "licence"},
            "signer": signer, "signed_at": "2026-12-01T00:00:00.000Z", "algorithm": crypto.ALGORITHM,
            "user_id": crypto.USER_ID}

    assert services._messages(base, hashes) == [
        services.signed_message({**base, "data_hash": data_hash}) for data_hash in hashes]
