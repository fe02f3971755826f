"""Seal benchmark (电子印章基准): SM2 signatures and verifications per second through our layers
beside ``openssl speed sm2`` measured in the same run.

    .venv/bin/python bench/seals.py [--seconds 3] [--rounds 3] [--licences 200]

Prints, as the median of ``--rounds`` rounds of ``--seconds`` per measurement, single-threaded:
  (a) OpenSSL: ``openssl speed -elapsed -seconds N sm2`` (OpenSSL's own C loop, wall-clock time);
  (b) crypto layer: ``yiwang.seals.crypto.sign`` (unseal the AES-GCM private key, load it, sign
      a 300-byte message) and ``crypto.verify_with_public_key`` — the SM2 work alone;
  (c) the service layer's computation without the database: what ``services.sign`` and
      ``services.verify`` compute around the SM2 call (canonical JSON of the data and of the
      to-be-signed structure, SM3 of both, Base64), built from the same public functions;
  (d) service layer, on a throw-away SQLite database with production settings:
      ``yiwang.seals.services.sign`` — permission check, seal row lock, canonical JSON, SM3, SM2,
      the SealUse row and the hash-chained audit record, one committed transaction each — and
      ``services.verify`` (structure, SM3, seal and use-record lookup, SM2); then the same work
      in batches of 100, ``sign_many`` (one transaction, one permission check, lock, key
      decryption and audit record naming every use; a SealUse row per signature) and
      ``verify_many`` (two queries for the batch), per signature;
  (e) licences end to end: ``yiwang.licences.services.issue_for_case`` (签发: the licence row,
      two seal uses — the licence and its QR code — each with its SealUse row and audit record,
      the licence's event and audit record, one committed transaction) followed by
      ``verify_licence`` of the new identifier, over ``--licences`` cases per round that were
      decided 通过 through the case services before the clock starts; and
      ``verify_payload(qr_payload(licence))``, the QR code's verification.
Target: ≥ 0.8 × OpenSSL, for signing and for verifying, judged on (b), (c) and the batch rows of
(d). A single call of (d) is one committed transaction with its audit record, a fixed cost of
some 1–2 ms that no SM2 speed changes, so it is shown with its ratio but not judged; the table
says how many SQL statements each call makes. (e) has no
target; beside it stands the rate the SM2 work alone would allow, from OpenSSL's figures.

The database, media and var/ live in a temporary directory; var/yiwang.sqlite3 is never touched.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import re
import shutil
import statistics
import subprocess
import time
import unicodedata
from pathlib import Path

from _common import setup_production_site, temporary_workdir

ROOT = Path(__file__).resolve().parent.parent
WARMUP_LICENCES = 5
TARGET = 0.8
BATCH = 100  # signatures per sign_many / verify_many call
MESSAGE = bytes(range(256)) + b"x" * 44  # about the size of a signed structure's message
LICENCE = {"licence_no": "1.2.156.3005.2.spjyxk.11220000MB0000001X.000001.1.K",
           "holder": "长春市净月潭绿色食品有限公司", "holder_uscc": "91220101MA00000001",
           "issued_on": "2026-09-29", "valid_until": "2031-09-28", "issuer": "吉林省市场监督管理局",
           "scope": ["热食类食品制售", "冷食类食品制售"], "address": "长春市净月区净月大街 1 号"}


def rate(call, seconds: float, per_call: int = 1) -> float:
    """Operations per second of ``call``, which does ``per_call`` of them, over about ``seconds``
    of wall-clock time."""
    for _ in range(max(1, 20 // per_call)):  # warm up
        call()
    count, started = 0, time.perf_counter()
    deadline = started + seconds
    calls = max(1, 50 // per_call)
    while True:
        for _ in range(calls):
            call()
        count += calls * per_call
        now = time.perf_counter()
        if now >= deadline:
            return count / (now - started)


def openssl_speed(seconds: int) -> tuple[float, float] | None:
    """(sign/s, verify/s) from ``openssl speed sm2``, or None without an OpenSSL that has it."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    completed = subprocess.run([openssl, "speed", "-elapsed", "-mr", "-seconds", str(seconds), "sm2"],
                               capture_output=True, text=True, check=False)
    # Machine-readable line: +F7:<index>:<bits>:<curve>:<sign/s>:<verify/s>
    found = re.search(r"^\+F7:\d+:256:\w+:([\d.]+):([\d.]+)$", completed.stdout, re.MULTILINE)
    return (float(found[1]), float(found[2])) if found else None


def make_seal(department):
    """The department's admin and certifier, and one licence seal."""
    import zlib

    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from yiwang.orgs.models import Membership, Role
    from yiwang.seals import services

    users = get_user_model().objects
    admin, certifier = users.create_user("bench_admin"), users.create_user("bench_certifier")
    Membership.objects.create(user=admin, department=department, role=Role.DEPARTMENT_ADMIN)
    Membership.objects.create(user=certifier, department=department, role=Role.CERTIFIER)
    ihdr = b"IHDR" + (1).to_bytes(4, "big") * 2 + b"\x08\x02\x00\x00\x00"
    image = (b"\x89PNG\r\n\x1a\n" + (13).to_bytes(4, "big") + ihdr
             + zlib.crc32(ihdr).to_bytes(4, "big"))
    today = timezone.localdate()
    seal = services.create_seal(department=department, name="电子证照专用章",
                                kind="licence", image=ContentFile(image, name="seal.png"),
                                valid_from=today, valid_until=today + dt.timedelta(days=365),
                                actor=admin)
    return seal, certifier


def make_licence_world(cases: int):
    """The case bench's world (bench/_cases_world.py: its item results in a 食品经营许可证), the
    licence type the item names, the market department's licence seal and certifier, and
    ``cases`` cases decided 通过 through the case services."""
    from _cases_world import GUIDE, World

    from yiwang.licences.models import LicenceType

    world = World.create()
    LicenceType.objects.create(code=GUIDE["result_licence_type"], name=GUIDE["result_name"],
                               issuer_kind="市场监督管理部门", validity_years=5,
                               fields=[{"name": "shop_name", "label": "店铺名称"}])
    seal, certifier = make_seal(world.item.department)
    return seal, certifier, [world.lifecycle() for _ in range(cases)]


def licence_rates(cases: list, certifier) -> dict:
    """Issue and verify a licence for each case; pairs, issues and verifications per second."""
    from yiwang.licences import services as licences

    issuing = verifying = 0.0
    for case in cases:
        started = time.perf_counter()
        licence = licences.issue_for_case(case, actor=certifier)
        issued = time.perf_counter()
        check = licences.verify_licence(licence.identifier)
        verifying += time.perf_counter() - issued
        issuing += issued - started
        if not check.ok:
            raise SystemExit(f"verify_licence rejected a fresh licence: {check.reason}")
    return {"pair": len(cases) / (issuing + verifying), "issue": len(cases) / issuing,
            "verify": len(cases) / verifying}


def measure(seconds: int, rounds: int, per_round: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from yiwang.licences import services as licences
    from yiwang.seals import crypto, services

    started = time.perf_counter()
    seal, certifier, decided = make_licence_world(WARMUP_LICENCES + rounds * per_round)
    print(f"已准备 {len(decided)} 个决定通过的办件（{time.perf_counter() - started:.0f} 秒）", flush=True)
    public_pem, sealed_key = seal.public_key_pem, bytes(seal.encrypted_private_key)
    der = crypto.sign(sealed_key, public_pem, MESSAGE)
    counter = iter(range(10**9))

    def service_sign():
        return services.sign(seal, {**LICENCE, "serial": next(counter)}, actor=certifier,
                             purpose="核发食品经营许可证")

    def batch_sign():
        return services.sign_many(seal, [({**LICENCE, "serial": next(counter)}, "核发食品经营许可证")
                                         for _ in range(BATCH)], actor=certifier)

    signature = service_sign()
    if not services.verify(LICENCE | {"serial": 0}, signature).ok:
        raise SystemExit("services.verify rejected a fresh signature")
    batch_data = [{**LICENCE, "serial": -n} for n in range(1, BATCH + 1)]
    batch = list(zip(batch_data, services.sign_many(
        seal, [(data, "核发食品经营许可证") for data in batch_data], actor=certifier), strict=True))
    if not all(check.ok for check in services.verify_many(batch)):
        raise SystemExit("services.verify_many rejected a fresh signature")
    with CaptureQueriesContext(connection) as signing:
        service_sign()
    with CaptureQueriesContext(connection) as verifying:
        services.verify(LICENCE | {"serial": 0}, signature)
    with CaptureQueriesContext(connection) as batch_signing:
        batch_sign()
    with CaptureQueriesContext(connection) as batch_verifying:
        services.verify_many(batch)

    data = LICENCE | {"serial": 0}
    unsigned = {key: value for key, value in signature.items() if key != "signature"}

    def compute_sign():
        structure = {**unsigned, "data_hash": crypto.sm3_hex(services.canonical_bytes(data))}
        signed = crypto.sign(sealed_key, public_pem, services.signed_message(structure))
        return base64.b64encode(signed), crypto.sm3_hex(signed)

    def compute_verify():
        if crypto.sm3_hex(services.canonical_bytes(data)) != signature["data_hash"]:
            raise SystemExit("data hash mismatch")
        signed = base64.b64decode(signature["signature"])
        crypto.sm3_hex(signed)
        return crypto.verify_with_public_key(public_pem, services.signed_message(signature), signed)

    licence_rates(decided[:WARMUP_LICENCES - 1], certifier)
    with CaptureQueriesContext(connection) as issuing:
        licence = licences.issue_for_case(decided[WARMUP_LICENCES - 1], actor=certifier)
    with CaptureQueriesContext(connection) as checking:
        licences.verify_licence(licence.identifier)
    with CaptureQueriesContext(connection) as scanning:
        scanned = licences.verify_payload(licences.qr_payload(licence))
    if not scanned.ok:
        raise SystemExit(f"verify_payload rejected a fresh licence's QR code: {scanned.reason}")

    runs = {key: [] for key in ("openssl_sign", "openssl_verify", "crypto_sign", "crypto_verify",
                                "compute_sign", "compute_verify", "service_sign", "service_verify",
                                "batch_sign", "batch_verify",
                                "licence_pair", "licence_issue", "licence_verify", "licence_scan")}
    for index in range(rounds):
        print(f"第 {index + 1}/{rounds} 轮…", flush=True)
        speed = openssl_speed(seconds)
        if speed:
            runs["openssl_sign"].append(speed[0])
            runs["openssl_verify"].append(speed[1])
        runs["crypto_sign"].append(rate(lambda: crypto.sign(sealed_key, public_pem, MESSAGE), seconds))
        runs["crypto_verify"].append(rate(
            lambda: crypto.verify_with_public_key(public_pem, MESSAGE, der), seconds))
        runs["compute_sign"].append(rate(compute_sign, seconds))
        runs["compute_verify"].append(rate(compute_verify, seconds))
        runs["service_sign"].append(rate(service_sign, seconds))
        runs["service_verify"].append(rate(
            lambda: services.verify(data, signature), seconds))
        runs["batch_sign"].append(rate(batch_sign, seconds, BATCH))
        runs["batch_verify"].append(rate(lambda: services.verify_many(batch), seconds, BATCH))
        start = WARMUP_LICENCES + index * per_round
        for key, value in licence_rates(decided[start:start + per_round], certifier).items():
            runs[f"licence_{key}"].append(value)
        runs["licence_scan"].append(rate(
            lambda: licences.verify_payload(licences.qr_payload(licence)), seconds))
    result = {key: statistics.median(values) if values else None for key, values in runs.items()}
    result["queries"] = {name: len(context.captured_queries) for name, context in (
        ("sign", signing), ("verify", verifying), ("batch_sign", batch_signing),
        ("batch_verify", batch_verifying), ("issue", issuing), ("check", checking),
        ("scan", scanning))}
    return result


def report(result: dict, seconds: int, rounds: int, per_round: int) -> None:
    import tongsuopy

    openssl = subprocess.run(["openssl", "version"], capture_output=True, text=True,
                             check=False).stdout.strip() if shutil.which("openssl") else "无"
    print()
    print(f"电子印章 SM2 基准：{rounds} 轮取中位数，每项 {seconds} 秒，单线程，墙钟时间")
    print(f"OpenSSL：{openssl}；本平台：tongsuopy {tongsuopy.__version__}（Tongsuo）")
    print()
    rows = [
        ("OpenSSL speed sm2", "openssl_sign", "openssl_verify", "C 循环，基准"),
        ("crypto 层", "crypto_sign", "crypto_verify", "解封私钥 + SM2；不含数据库"),
        ("服务层计算", "compute_sign", "compute_verify", "规范化 JSON + SM3 + SM2；不含数据库"),
        ("服务层 单次调用", "service_sign", "service_verify",
         f"sign / verify，每次一个事务：用印写 SealUse + 审计链（{result['queries']['sign']} 条 SQL），"
         f"验章查印章和用印记录（{result['queries']['verify']} 条 SQL），SQLite"),
        (f"服务层 每批 {BATCH}", "batch_sign", "batch_verify",
         f"sign_many / verify_many：每批一个事务，每次用印仍各写 SealUse 和审计记录"
         f"（每批 {result['queries']['batch_sign']} 条 SQL），验章每批 "
         f"{result['queries']['batch_verify']} 条 SQL，SQLite"),
    ]
    judged = {"crypto_sign", "compute_sign", "batch_sign"}
    sign_ref, verify_ref = result["openssl_sign"], result["openssl_verify"]
    print(f"{_pad('', 20)}{_pad('签名/秒', 10, right=True)}{_pad('相对', 8, right=True)}"
          f"{_pad('验签/秒', 10, right=True)}{_pad('相对', 8, right=True)}  说明")
    verdicts = []
    for label, sign_key, verify_key, note in rows:
        sign, verify = result[sign_key], result[verify_key]
        if sign is None:
            print(f"{_pad(label, 20)}{'—':>10}{'':>8}{'—':>10}{'':>8}  openssl speed sm2 不可用")
            continue
        sign_ratio = sign / sign_ref if sign_ref else None
        verify_ratio = verify / verify_ref if verify_ref else None
        print(f"{_pad(label, 20)}{sign:>10.0f}{_ratio(sign_ratio):>8}{verify:>10.0f}"
              f"{_ratio(verify_ratio):>8}  {note}")
        if sign_key in judged and sign_ratio is not None:
            verdicts.append((f"{label} 签名", sign_ratio))
            verdicts.append((f"{label} 验签", verify_ratio))
    print()
    if verdicts:
        print(f"目标：≥ {TARGET:g} × OpenSSL")
        for label, ratio in verdicts:
            print(f"  [{'PASS' if ratio >= TARGET else 'FAIL'}] {label}：{ratio:.2f}×")
        print("  单次调用不计目标：其中每次用印都是一个已提交的事务，时间花在提交和审计链上，"
              "而不是 SM2；批量调用把这些按批分摊，每次用印的记录一条不少")
    else:
        print("未能运行 openssl speed sm2，无法对照")
    print()
    report_licences(result, seconds, per_round)


def report_licences(result: dict, seconds: int, per_round: int) -> None:
    """Section (e), beside what OpenSSL's SM2 rates alone would allow: 签发 signs twice (the
    licence and its QR code), verify_licence verifies once, verify_payload twice (the QR code's
    signature, then the licence's)."""
    sign, verify = result["openssl_sign"], result["openssl_verify"]
    ceilings = {"pair": 1 / (2 / sign + 1 / verify), "issue": sign / 2, "verify": verify,
                "scan": verify / 2} if sign else {}
    queries = result["queries"]
    rows = [
        ("签发 + 验证", "pair", "issue_for_case 后 verify_licence，成对计时"),
        ("  其中签发", "issue", "写证照行、两次用印（证照和二维码各写 SealUse + 审计链）、证照事件"
         f"和审计记录，一个事务（{queries['issue']} 条 SQL）"),
        ("  其中验证", "verify", f"按标识查证照 + 验章，只读（{queries['check']} 条 SQL）"),
        ("扫码验证", "scan", "verify_payload(qr_payload(证照))：二维码签章 + 证照签章"
         f"（{queries['scan']} 条 SQL）"),
    ]
    print(f"电子证照端到端：每轮签发并验证 {per_round} 件（办件在计时前经办件服务决定通过），"
          f"扫码验证每轮 {seconds} 秒；SQLite")
    print(f"{_pad('', 20)}{_pad('次/秒', 10, right=True)}{_pad('SM2 上限', 10, right=True)}"
          f"{_pad('相对', 8, right=True)}  说明")
    for label, key, note in rows:
        value, ceiling = result[f"licence_{key}"], ceilings.get(key)
        print(f"{_pad(label, 20)}{value:>10.0f}{'—' if ceiling is None else f'{ceiling:.0f}':>10}"
              f"{_ratio(value / ceiling if ceiling else None):>8}  {note}")
    print("SM2 上限：只做其中的 SM2 运算、按 OpenSSL speed sm2 的速度能达到的次数（签发两次签名，"
          "验证一次验签，扫码验证两次验签）；不设目标。")


def _pad(text: str, width: int, *, right: bool = False) -> str:
    """Pad to ``width`` terminal columns: a Chinese character takes two."""
    gap = " " * max(0, width - sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text))
    return gap + text if right else text + gap


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}×"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=3, help="seconds per measurement")
    parser.add_argument("--rounds", type=int, default=3, help="rounds; the median is reported")
    parser.add_argument("--licences", type=int, default=200,
                        help="licences issued and verified per round")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    with temporary_workdir("yiwang-bench-seals-", keep=args.keep) as workdir:
        setup_production_site(workdir)
        result = measure(args.seconds, args.rounds, args.licences)
        report(result, args.seconds, args.rounds, args.licences)


if __name__ == "__main__":
    main()
