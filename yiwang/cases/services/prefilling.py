"""预填 (一表申请, 一次收齐、后续反复使用): what the platform already knows of the applicant fills
the form when an application starts — the real-name account, the company account, and the
applicant's own earlier applications — and, with the applicant's consent, a shared registry
(数据共享平台). Each filled field is kept on the case (``Case.prefill``) with where it came from
and the value given, so the clerk reads "姓名：来自实名账号" and sees when the applicant changed it.

A field's meaning is its semantic key (``catalog.formdef.prefill_key``). Facts about the applicant
(a key) are filled in; answers about one application (no key: a project name, an amount) are
only offered as suggestions from the applicant's earlier applications of the same field.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from yiwang.accounts.services import citizen_of
from yiwang.catalog.formdef import prefill_key
from yiwang.common.errors import ValidationError
from yiwang.exchange.models import RecordStatus
from yiwang.exchange.selectors import records_of
from yiwang.exchange.services import record_registry_use, registry_source

from ..models import Case
from ._base import lock, on_behalf, record, require_editable

ACCOUNT, COMPANY, REGISTRY, HISTORY = "account", "company", "registry", "history"
# Earlier applications looked at, newest first, and suggestions offered per field.
HISTORY_CASES = 20
SUGGESTIONS = 5
# Field types whose value is a free text an earlier application may suggest (a datalist).
SUGGESTED_TYPES = ("text", "number", "phone", "email", "id_number", "uscc")
PURPOSE_PREFILLED = "预填申请表（申请人同意使用）"


@dataclass(frozen=True)
class Known:
    """One value the platform knows, and where it comes from as the case page names it."""

    value: str
    source: str
    origin: str

    def as_prefill(self) -> dict:
        return {"value": self.value, "source": self.source, "from": self.origin}


def _applicant_aliases(known: dict, *, for_company: bool) -> dict:
    """``applicant.*``: the company's value when applying for one, the person's otherwise."""
    side = "company" if for_company else "person"
    for what in ("name", "address"):
        if f"{side}.{what}" in known:
            known[f"applicant.{what}"] = known[f"{side}.{what}"]
    return known


def account_values(user, company=None) -> dict[str, Known]:
    """By semantic key, what the real-name account and the company account say."""
    known: dict[str, Known] = {}
    citizen = citizen_of(user)
    if citizen is not None:
        for key, value in (("person.name", citizen.name), ("person.id_number", citizen.id_number),
                           ("person.mobile", citizen.mobile)):
            if value:
                known[key] = Known(value, ACCOUNT, "实名账号")
    if company is not None:
        for key, value in (("company.name", company.name), ("company.uscc", company.uscc),
                           ("company.legal_representative", company.legal_representative.name),
                           ("company.address", company.address)):
            if value:
                known[key] = Known(value, COMPANY, "法人账号")
    return _applicant_aliases(known, for_company=company is not None)


def _earlier(user, company, *, exclude_pk=None):
    """The applicant's submitted applications (for the same company, or in person), newest first,
    as (number, form data, form definition)."""
    cases = Case.objects.filter(applicant=user, company=company, number__isnull=False)
    if exclude_pk is not None:
        cases = cases.exclude(pk=exclude_pk)
    return list(cases.order_by("-submitted_at", "-pk")
                .values_list("number", "form_data", "version__form_definition")[:HISTORY_CASES])


def history_values(user, company=None, *, exclude_pk=None) -> dict[str, Known]:
    """By semantic key, the value the applicant gave last in an earlier application."""
    known: dict[str, Known] = {}
    for number, data, definition in _earlier(user, company, exclude_pk=exclude_pk):
        for field in definition:
            key, value = prefill_key(field), data.get(field["name"])
            if key and isinstance(value, str) and value.strip():
                known.setdefault(key, Known(value, HISTORY, f"此前申请（办件编号 {number}）"))
    return known


def _fits(field: dict, value: str) -> bool:
    if field["type"] in ("checkbox", "date"):
        return False
    if field["type"] == "select":
        return value in field["options"]
    return len(value) <= field.get("max_length", len(value))


def prefill_values(user, company, definition: list[dict], *, exclude_pk=None) -> dict[str, dict]:
    """By field name, what to fill in a form of ``definition`` for ``user`` (acting for
    ``company``, or in person): the accounts first, then the applicant's earlier applications.
    The one function both a single case and a 一件事 merged form start from."""
    known = {**history_values(user, company, exclude_pk=exclude_pk), **account_values(user, company)}
    filled = {}
    for field in definition:
        found = known.get(prefill_key(field) or "")
        if found is not None and _fits(field, found.value):
            filled[field["name"]] = found.as_prefill()
    return filled


def prefill_case(case: Case) -> Case:
    """Fill the empty fields of a new draft and record where each value came from."""
    filled = prefill_values(case.applicant, case.company, case.version.form_definition,
                            exclude_pk=case.pk)
    filled = {name: p for name, p in filled.items() if case.form_data.get(name) in (None, "")}
    case.form_data = {**case.form_data, **{name: p["value"] for name, p in filled.items()}}
    case.prefill = {**case.prefill, **filled}
    case.save(update_fields=["form_data", "prefill", "updated_at"])
    return case


def suggestions(case: Case) -> dict[str, list[str]]:
    """By field name, the values the applicant gave the same field in earlier applications (at
    most ``SUGGESTIONS``, newest first), for the fields that are not facts about the applicant."""
    names = {f["name"] for f in case.version.form_definition
             if f["type"] in SUGGESTED_TYPES and prefill_key(f) is None}
    offered: dict[str, list[str]] = {}
    for _number, data, _definition in _earlier(case.applicant, case.company, exclude_pk=case.pk):
        for name in names:
            value = data.get(name)
            values = offered.setdefault(name, [])
            if isinstance(value, str) and value.strip() and value not in values \
                    and len(values) < SUGGESTIONS:
                values.append(value)
    return {name: values for name, values in offered.items() if values}


def prefill_notes(case: Case) -> dict[str, str]:
    """By field name, where its pre-filled value came from, in the words of the case pages:
    "来自实名账号", and "（申请人已修改）" once the applicant changed it. A field no longer in the
    form (the draft moved to a new version of the guide at submission) has none."""
    notes = {}
    for name, filled in case.prefill.items():
        if name not in case.form_data:
            continue
        note = f"来自{filled['from']}"
        if case.form_data.get(name) != filled["value"]:
            note += "（申请人已修改）"
        notes[name] = note
    return notes


# --- shared registries, with consent -----------------------------------------------------------


@dataclass(frozen=True)
class RegistryOffer:
    """A field of the form a registry record of the applicant can fill."""

    field: dict
    value: str
    record: object

    @property
    def origin(self) -> str:
        return f"共享数据：{registry_source(self.record)}"


def registry_offers(case: Case) -> list[RegistryOffer]:
    """The fields a valid record of the applicant (the company's when applying for it) in an
    active registry can fill, by the keys the registry declares for its fields, where the form
    does not already hold that value. Nothing is used until the applicant consents
    (``fill_from_registry``), as a record replacing a material is not."""
    by_key: dict[str, tuple[str, object]] = {}
    for found in records_of(case).filter(registry__active=True, status=RecordStatus.VALID):
        for declared in found.registry.fields:
            value = found.data.get(declared["name"])
            if declared.get("key") and isinstance(value, str) and value:
                by_key.setdefault(declared["key"], (value, found))
    _applicant_aliases(by_key, for_company=case.company_id is not None)
    offers = []
    for field in case.version.form_definition:
        value, found = by_key.get(prefill_key(field) or "", (None, None))
        if value is not None and _fits(field, value) and case.form_data.get(field["name"]) != value:
            offers.append(RegistryOffer(field=field, value=value, record=found))
    return offers


@transaction.atomic
def fill_from_registry(case: Case, user, *, consent: bool) -> list[RegistryOffer]:
    """With the applicant's consent, fill the form from their registry records
    (``registry_offers``); each record used goes to the subject's usage log and the case's
    history. Returns what was filled."""
    case = lock(case)
    require_editable(case, user)
    if consent is not True:
        raise ValidationError("请确认同意使用该共享数据", code="case.data_consent_required")
    offers = registry_offers(case)
    if not offers:
        raise ValidationError("数据共享平台没有可用于填写申请表的新信息",
                              code="case.no_registry_prefill")
    for offer in offers:
        case.form_data[offer.field["name"]] = offer.value
        case.prefill[offer.field["name"]] = Known(offer.value, REGISTRY, offer.origin).as_prefill()
    case.save(update_fields=["form_data", "prefill", "updated_at"])
    labels = [offer.field["label"] for offer in offers]
    for found in {offer.record.pk: offer.record for offer in offers}.values():
        record_registry_use(found, case, purpose=PURPOSE_PREFILLED, actor=user)
    record(case, "registry_prefilled", actor=user, label="使用共享数据填写申请表",
           on_behalf=on_behalf(case), data={"fields": labels})
    return offers


def bundle_registry_offers(application) -> list[RegistryOffer]:
    """``registry_offers`` of the drafts of a 一件事, once per field of the merged form."""
    offers: dict[str, RegistryOffer] = {}
    for case in application.cases.order_by("pk"):
        for offer in registry_offers(case):
            offers.setdefault(offer.field["name"], offer)
    return list(offers.values())


@transaction.atomic
def fill_bundle_from_registry(application, user, *, consent: bool) -> list[RegistryOffer]:
    """``fill_from_registry`` for every draft of a 一件事 the registry can fill (each is a use by
    its own department), and the merged form with them; all or none."""
    application = type(application).objects.select_for_update().get(pk=application.pk)
    cases = [case for case in application.cases.order_by("pk") if registry_offers(case)]
    if not cases:
        raise ValidationError("数据共享平台没有可用于填写申请表的新信息",
                              code="case.no_registry_prefill")
    filled: dict[str, RegistryOffer] = {}
    for case in cases:
        for offer in fill_from_registry(case, user, consent=consent):
            filled.setdefault(offer.field["name"], offer)
    application.form_data = {**application.form_data,
                             **{name: offer.value for name, offer in filled.items()}}
    application.save(update_fields=["form_data"])
    return list(filled.values())
