"""Personal-data benchmark (个人信息加密基准): what SM4-GCM encryption and the SM3-HMAC blind index
cost the log-in and the progress query (办件进度查询), beside the same work on plaintext copies
measured in the same run.

    .venv/bin/python bench/pii.py [--seconds 2] [--rounds 3] [--people 2000]

Set-up, on a throw-away SQLite database with production settings: the demo (``load_demo``), then
``--people`` citizens and as many submitted cases (copies of a demo case, each with its own
number, applicant, ID and mobile number). Beside each encrypted table the script creates a
plaintext copy: the same columns, with the ID and mobile numbers as indexed ``varchar`` instead
of ciphertext plus blind index and the form answers as plain JSON, holding the same rows. Each
figure is the median of ``--rounds`` rounds of ``--seconds``, single-threaded, over a rotating
set of people and cases, the encrypted and the plaintext calls alternating in batches of 25 so
that load from elsewhere on the machine falls on both alike:
  (a) the primitives alone: SM4-GCM encryption and decryption of an ID number, and its blind
      index (HMAC-SM3 of the normalised value);
  (b) log-in look-up, password check EXCLUDED: ``accounts.backends.user_for_identifier`` by ID
      number and by mobile number (index digest, one query, the citizen's two numbers decrypted
      on load) against the same query on the plaintext copy;
  (c) log-in, password check INCLUDED: ``IdentifierBackend.authenticate`` (the look-up and
      Django's PBKDF2 check of the right password) against the plaintext look-up plus the same
      check; a few calls, since PBKDF2 takes tenths of a second on purpose;
  (d) progress query: ``cases.selectors.progress_lookup`` by number + applicant name and by
      number + ID number (matched through the blind index), against the same queries on the
      plaintext copy of the case table; both defer the columns the answer does not show (the
      encrypted ones), so the encrypted query decrypts nothing and pays at most one digest.

The database, media and var/ live in a temporary directory; var/yiwang.sqlite3 is never touched.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from pathlib import Path

from _common import setup_production_site, temporary_workdir

PASSWORD = "bench-only-password-1"


def setup(workdir: Path) -> None:
    setup_production_site(workdir)
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)


def plain_copy(model):
    """A model with ``model``'s columns in a table of its own, the encrypted fields as plain
    varchar (indexed where the original has a blind index) and no blind-index columns."""
    from django.db import connection, models

    from yiwang.common.fields import BlindIndexField, EncryptedJSONField, EncryptedTextField

    attrs = {"__module__": __name__,
             "Meta": type("Meta", (), {"app_label": "bench_plain",
                                       "db_table": f"bench_plain_{model._meta.db_table}"})}
    for field in model._meta.concrete_fields:
        if isinstance(field, BlindIndexField):
            continue
        if isinstance(field, EncryptedJSONField):
            attrs[field.name] = models.JSONField(default=dict, blank=True)
            continue
        if isinstance(field, EncryptedTextField):
            attrs[field.name] = models.CharField(max_length=field.max_length, blank=True,
                                                 db_index=field.index_field is not None)
            continue
        _, _, args, kwargs = field.deconstruct()
        if field.is_relation:
            kwargs["related_name"] = "+"
        attrs[field.name] = type(field)(*args, **kwargs)
    plain = type(f"Plain{model.__name__}", (models.Model,), attrs)
    with connection.schema_editor() as editor:
        editor.create_model(plain)
    return plain


def copy_rows(model, plain) -> None:
    names = [f.attname for f in plain._meta.concrete_fields]
    plain.objects.bulk_create([plain(**{n: getattr(row, n) for n in names})
                               for row in model.objects.all()], batch_size=500)


def make_people(count: int) -> tuple[list, list]:
    """``count`` citizens with accounts and one submitted case each, copied from a demo case."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from yiwang.accounts.models import Citizen
    from yiwang.cases.models import Case
    from yiwang.demo.identities import id_number

    User = get_user_model()
    template = Case.objects.exclude(number__isnull=True).exclude(number="").order_by("pk").first()
    password = make_password(PASSWORD)
    with transaction.atomic():
        users = User.objects.bulk_create([User(username=f"bench{n:06d}", password=password)
                                          for n in range(count)])
        people = Citizen.objects.bulk_create([
            Citizen(user=user, name=f"测试{n:05d}",
                    id_number=id_number("220104", dt.date(1960, 1, 1) + dt.timedelta(days=n // 900),
                                        n % 900 + 10),
                    mobile=f"137{n:08d}") for n, user in enumerate(users)])
        fields = {f.attname: getattr(template, f.attname) for f in Case._meta.concrete_fields
                  if not f.primary_key}
        cases = Case.objects.bulk_create([
            Case(**{**fields, "number": f"{template.number}B{n:06d}", "applicant_id": p.user_id,
                    "applicant_name": p.name, "applicant_id_number": p.id_number,
                    "contact_mobile": p.mobile, "submission_key": None})
            for n, p in enumerate(people)])
    return people, cases


def per_call(calls, seconds: float, batch: int = 25) -> list[float]:
    """Microseconds per call of each of ``calls``, run in alternating batches for about
    ``seconds`` in all, so that a burst of load on this shared machine hits them alike."""
    for call in calls:  # warm up
        call()
    spent, count = [0.0] * len(calls), 0
    deadline = time.perf_counter() + seconds
    while not count or time.perf_counter() < deadline:
        for position, call in enumerate(calls):
            started = time.perf_counter()
            for _ in range(batch):
                call()
            spent[position] += time.perf_counter() - started
        count += batch
    return [total / count * 1e6 for total in spent]


def cycling(items):
    state = {"i": 0}

    def next_item():
        state["i"] = (state["i"] + 1) % len(items)
        return items[state["i"]]

    return next_item


def measure(seconds: float, rounds: int, count: int) -> dict[str, tuple[float, float]]:
    """{row: (encrypted µs per call, plaintext µs per call)}."""
    from django.contrib.auth.hashers import check_password

    from yiwang.accounts.backends import IdentifierBackend, user_for_identifier
    from yiwang.accounts.models import Citizen
    from yiwang.cases.models import Case
    from yiwang.cases.selectors import progress_lookup
    from yiwang.common import personal_data

    started = time.perf_counter()
    people, cases = make_people(count)
    PlainCitizen, PlainCase = plain_copy(Citizen), plain_copy(Case)
    copy_rows(Citizen, PlainCitizen)
    copy_rows(Case, PlainCase)
    print(f"已准备 {len(people)} 个实名用户和 {len(cases)} 件办件及其明文副本"
          f"（{time.perf_counter() - started:.0f} 秒）", flush=True)

    person, case = cycling(people), cycling(cases)
    context = "accounts.citizen.id_number"
    token = personal_data.encrypt(people[0].id_number, context)

    def plain_user(**lookup):
        citizen = PlainCitizen.objects.select_related("user").filter(**lookup).first()
        return citizen.user if citizen else None

    def plain_progress(**lookup):  # the columns progress_lookup defers, deferred here too
        return PlainCase.objects.select_related("version", "department").defer(
            "applicant_id_number", "contact_mobile", "form_data", "prefill").get(**lookup)

    backend = IdentifierBackend()

    def plain_authenticate():
        user = plain_user(id_number=person().id_number)
        return check_password(PASSWORD, user.password)

    pairs = {
        "SM4-GCM 加密一个身份证号": (
            lambda: personal_data.encrypt("22010419860101002X", context), None),
        "SM4-GCM 解密一个身份证号": (lambda: personal_data.decrypt(token, context), None),
        "盲索引（SM3-HMAC）一个身份证号": (
            lambda: personal_data.blind_index("22010419860101002x", "id_number"), None),
        "登录查找：身份证号（不含密码校验）": (
            lambda: user_for_identifier(person().id_number),
            lambda: plain_user(id_number=person().id_number)),
        "登录查找：手机号（不含密码校验）": (
            lambda: user_for_identifier(person().mobile),
            lambda: plain_user(mobile=person().mobile)),
        "进度查询：办件编号 + 姓名": (
            lambda: progress_lookup((c := case()).number, c.applicant_name),
            lambda: plain_progress(number=(c := case()).number, applicant_name=c.applicant_name)),
        "进度查询：办件编号 + 身份证号": (
            lambda: progress_lookup((c := case()).number, c.applicant_id_number),
            lambda: plain_progress(number=(c := case()).number,
                                   applicant_id_number=c.applicant_id_number)),
    }
    # The look-ups must find what they look for, or the figures measure misses.
    assert user_for_identifier(people[5].id_number.lower()) == people[5].user
    assert backend.authenticate(None, username=people[5].mobile, password=PASSWORD) == people[5].user
    assert plain_user(mobile=people[5].mobile) == people[5].user
    assert progress_lookup(cases[5].number, people[5].id_number) == cases[5]

    results: dict[str, list[tuple[float, float]]] = {label: [] for label in pairs}
    results["登录：身份证号 + 密码（含 PBKDF2 密码校验）"] = []
    def authenticate():
        return backend.authenticate(None, username=person().id_number, password=PASSWORD)

    for _ in range(rounds):
        for label, (encrypted, plain) in pairs.items():
            figures = per_call([encrypted, plain] if plain else [encrypted], seconds)
            results[label].append((figures[0], figures[1] if plain else float("nan")))
        results["登录：身份证号 + 密码（含 PBKDF2 密码校验）"].append(
            tuple(per_call([authenticate, plain_authenticate], 0, batch=3)))
    return {label: (statistics.median(r[0] for r in rows), statistics.median(r[1] for r in rows))
            for label, rows in results.items()}


def report(result: dict[str, tuple[float, float]], seconds: float, rounds: int, count: int) -> None:
    print(f"\n个人信息加密的代价：SQLite，单线程，{count} 人 / {count} 件，"
          f"每项 {rounds} 轮 × {seconds} 秒取中位数，加密与明文交替成批运行（PBKDF2 一行每轮各 3 次）")
    print(f"{'':<34}{'加密（µs/次）':>14}{'明文（µs/次）':>14}{'相差（µs）':>12}{'比值':>8}")
    for label, (encrypted, plain) in result.items():
        if plain != plain:  # NaN: a primitive, no plaintext counterpart
            print(f"{label:<30}{encrypted:>16.1f}{'—':>16}{'—':>14}{'—':>10}")
        else:
            print(f"{label:<30}{encrypted:>16.1f}{plain:>16.1f}{encrypted - plain:>14.1f}"
                  f"{encrypted / plain:>9.2f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2, help="seconds per measurement")
    parser.add_argument("--rounds", type=int, default=3, help="rounds; the median is reported")
    parser.add_argument("--people", type=int, default=2000, help="citizens and cases to create")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    with temporary_workdir("yiwang-bench-pii-", keep=args.keep) as workdir:
        setup(workdir)
        result = measure(args.seconds, args.rounds, args.people)
        report(result, args.seconds, args.rounds, args.people)


if __name__ == "__main__":
    main()
