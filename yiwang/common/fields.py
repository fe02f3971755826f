"""Model fields for personal data at rest (``personal_data``): one pair that every model uses.

    class Citizen(PersonalDataModel):
        id_number = EncryptedTextField("居民身份证号", max_length=18)
        id_number_index = BlindIndexField(source="id_number", normalise="id_number", unique=True)

``EncryptedTextField`` encrypts on the way to the database and decrypts on the way back; the
model sees plaintext. ``BlindIndexField`` holds the HMAC-SM3 of the normalised value, computed on
every save. Exact look-ups on the encrypted field (``filter(id_number=…)``, ``__iexact``,
``__in``, also across relations) are answered by the index column, so callers write ordinary
queries; any other look-up (contains, ordering by the value) is refused, because the database
only holds ciphertext. Uniqueness belongs on the index field.

``QuerySet.update()`` and ``bulk_update()`` do not compute the index: change these fields
through ``save()`` (``PersonalDataModel.save`` adds the index to ``update_fields``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property

from django import forms
from django.conf import settings
from django.core.exceptions import FieldError, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import connections, migrations, models, transaction
from django.db.models.expressions import Col
from django.db.models.lookups import Exact, In, IsNull

from . import personal_data


class EncryptedTextField(models.TextField):
    """A text column stored as SM4-GCM ciphertext; an empty value stays empty. ``max_length``
    limits the plaintext (forms and ``full_clean``); the column itself is unbounded text, since a
    ciphertext is longer."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(MaxLengthValidator(self.max_length))

    @property
    def context(self) -> str:
        """What the ciphertext is bound to: ``app_label.model.field``."""
        return f"{self.model._meta.label_lower}.{self.name}"

    @cached_property
    def index_field(self) -> BlindIndexField | None:
        return next((f for f in self.model._meta.concrete_fields
                     if isinstance(f, BlindIndexField) and f.source == self.name), None)

    def from_db_value(self, value, expression, connection):
        return personal_data.decrypt(value, self.context) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return personal_data.encrypt(value, self.context) if value else value

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        if lookup_name in ("exact", "iexact", "in") and self.index_field is not None:
            return _index_lookup(self.index_field, many=lookup_name == "in")
        return None  # Django then names the field and the look-up it does not support

    def get_transform(self, lookup_name):
        return None

    def formfield(self, **kwargs):
        # A one-line input like the CharField it replaces, not the text area of a TextField.
        return models.Field.formfield(self, **{"max_length": self.max_length, **kwargs})


class EncryptedJSONField(EncryptedTextField):
    """A JSON document (a form's answers, a registry snapshot) stored as SM4-GCM ciphertext of
    its JSON text. Nothing can be looked up inside it; the model sees the decoded value."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", dict)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        return json.loads(super().from_db_value(value, expression, connection)) if value else value

    def get_prep_value(self, value):
        if value is None:
            return None
        return personal_data.encrypt(json.dumps(value, ensure_ascii=False), self.context)

    def to_python(self, value):
        return value  # already decoded: TextField's would turn a dict into its repr

    def value_to_string(self, obj):
        return json.dumps(self.value_from_object(obj), ensure_ascii=False)

    def get_lookup(self, lookup_name):
        return super().get_lookup(lookup_name) if lookup_name == "isnull" else None

    def formfield(self, **kwargs):
        return models.Field.formfield(self, **{"form_class": forms.JSONField, **kwargs})


def _index_lookup(index: BlindIndexField, *, many: bool):
    def build(lhs, rhs):
        if not isinstance(lhs, Col):
            raise FieldError(f"{index.source} 为加密字段，只能按字段本身精确查询")
        if rhs is None:
            return IsNull(lhs, True)
        values = rhs if many else [rhs]
        digests = sorted({d for value in values for d in index.digests(str(value))})
        column = Col(lhs.alias, index)
        # One digest (one value, one index key: the usual case) compiles cheaper as equality.
        return Exact(column, digests[0]) if len(digests) == 1 else In(column, digests)

    return build


class BlindIndexField(models.CharField):
    """盲索引: HMAC-SM3 (hex) of the normalised value of the field named ``source``."""

    def __init__(self, *args, source: str, normalise: str, **kwargs):
        self.source, self.normalise = source, normalise
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.update(source=self.source, normalise=self.normalise)
        for key, default in (("max_length", 64), ("editable", False), ("blank", True),
                             ("default", "")):
            if kwargs.get(key, default) == default:
                kwargs.pop(key, None)
        return name, path, args, kwargs

    def compute(self, model_instance) -> str:
        return personal_data.blind_index(getattr(model_instance, self.source) or "", self.normalise)

    def digests(self, value: str) -> list[str]:
        return personal_data.index_candidates(value, self.normalise)

    def pre_save(self, model_instance, add):
        value = self.compute(model_instance)
        setattr(model_instance, self.attname, value)
        return value


class PersonalDataModel(models.Model):
    """Base of models with encrypted fields: keeps each blind index in step with its field when
    saving only some fields, and checks uniqueness on the index under the field's own name."""

    class Meta:
        abstract = True

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields is not None:
            update_fields = set(update_fields)
            update_fields |= {f.name for f in self._index_fields() if f.source in update_fields}
        super().save(*args, update_fields=update_fields, **kwargs)

    def validate_unique(self, exclude=None):
        exclude = set(exclude or ())
        sources = {}
        for index in self._index_fields():
            if index.source in exclude:
                exclude.add(index.name)
            else:
                setattr(self, index.attname, index.compute(self))
                exclude.discard(index.name)
                sources[index.name] = index.source
        try:
            super().validate_unique(exclude)
        except ValidationError as exc:
            raise ValidationError({sources.get(name, name): errors
                                   for name, errors in exc.error_dict.items()}) from None

    @classmethod
    def _index_fields(cls) -> list[BlindIndexField]:
        return [f for f in cls._meta.concrete_fields if isinstance(f, BlindIndexField)]


def encrypted_fields(model) -> list[EncryptedTextField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]


@dataclass
class Rewritten:
    """What ``rewrite_table`` did to one table."""

    rows: int = 0  # rows read
    changed: int = 0  # rows written
    plaintext: int = 0  # values found in plaintext (before the migration that encrypts them)


def rewrite_table(model, *, using: str = "default", batch_size: int = 500,
                  decrypt: bool = False, dry_run: bool = False) -> Rewritten:
    """Bring every encrypted value of ``model``'s table under the current key and every blind
    index under the current index key, in batches of ``batch_size`` rows, each batch one
    transaction with its rows locked (a concurrent save waits, none is lost). Rows already
    current are left alone, so a run that stopped part-way resumes where it stood. A value in
    plaintext (what the migration that introduced encryption finds) is encrypted; with
    ``decrypt`` every value is written back in plaintext (that migration's reverse). With
    ``dry_run`` it only counts the rows it would change.

    Raw SQL on the columns, so it reads ciphertext under any configured key without the field's
    conversions, and works on historical models in migrations."""
    connection = connections[using]
    quote = connection.ops.quote_name
    fields = encrypted_fields(model)
    if not fields:
        return Rewritten()
    pk = model._meta.pk.column
    columns = [pk, *[f.column for f in fields]]
    indexes = [(f, f.index_field) for f in fields]
    columns += [index.column for _, index in indexes if index is not None]
    table = quote(model._meta.db_table)
    lock = " FOR UPDATE" if connection.features.has_select_for_update and not dry_run else ""
    # Table and column names come from the model, quoted by the backend; values are parameters.
    select = f"SELECT {', '.join(quote(c) for c in columns)} FROM {table}"  # noqa: S608
    page = f" ORDER BY {quote(pk)} LIMIT %s{lock}"
    result, last = Rewritten(), None
    while True:
        with transaction.atomic(using=using), connection.cursor() as cursor:
            if last is None:
                cursor.execute(select + page, [batch_size])
            else:
                cursor.execute(f"{select} WHERE {quote(pk)} > %s{page}", [last, batch_size])
            rows = cursor.fetchall()
            for row in rows:
                values = dict(zip(columns, row, strict=True))
                changes = _rewritten_values(values, indexes, result, decrypt=decrypt)
                if changes and not dry_run:
                    assignments = ", ".join(f"{quote(c)} = %s" for c in changes)
                    cursor.execute(f"UPDATE {table} SET {assignments} WHERE {quote(pk)} = %s",  # noqa: S608
                                   [*changes.values(), values[pk]])
                result.changed += bool(changes)
        result.rows += len(rows)
        if len(rows) < batch_size:
            return result
        last = rows[-1][0]


def _rewritten_values(values: dict, indexes, result: Rewritten, *, decrypt: bool) -> dict:
    changes = {}
    for field, index in indexes:
        stored = values[field.column] or ""
        if stored and not personal_data.is_ciphertext(stored):
            result.plaintext += 1
            plain = stored
        else:
            plain = personal_data.decrypt(stored, field.context) if stored else ""
        if decrypt:
            wanted = plain
        elif stored and (plain == stored
                         or personal_data.key_id_of(stored) != settings.PERSONAL_DATA_KEY_ID):
            wanted = personal_data.encrypt(plain, field.context)
        else:
            wanted = stored
        if wanted != stored:
            changes[field.column] = wanted
        if index is not None:
            digest = personal_data.blind_index(plain, index.normalise)
            if digest != values[index.column]:
                changes[index.column] = digest
    return changes


def encrypt_existing_rows(app_label: str, *model_names: str) -> migrations.RunPython:
    """The data step of a migration that turns plaintext columns into encrypted ones: encrypt
    and index what is there (reverse: write it back in plaintext)."""

    def run(apps, schema_editor, *, decrypt: bool) -> None:
        for name in model_names:
            rewrite_table(apps.get_model(app_label, name), using=schema_editor.connection.alias,
                          decrypt=decrypt)

    return migrations.RunPython(lambda apps, editor: run(apps, editor, decrypt=False),
                                lambda apps, editor: run(apps, editor, decrypt=True),
                                elidable=False)
