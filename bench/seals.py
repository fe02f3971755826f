"""Seal benchmark (电子印章基准): SM2 signatures and verifications per second through our layers
beside ``openssl speed sm2`` measured in the same run.

    .venv/bin/python bench/seals.py [--seconds 3] [--rounds 3]

Prints, as the median of ``--rounds`` rounds of ``--seconds`` per measurement, single-threaded:
  (a) OpenSSL: ``openssl speed -elapsed -seconds N sm2`` (OpenSSL's own C loop, wall-clock time);
  (b) crypto layer: ``yiwang.seals.crypto.sign`` (unseal the AES-GCM private key, load it, sign
      a 300-byte message) and ``crypto.verify_with_public_key`` — the SM2 work alone;
  (c) the service layer's computation without the database: what ``services.sign`` and
      ``services.verify`` compute around the SM2 call (canonical JSON of the data and of the
      to-be-signed structure, SM3 of both, Base64), built from the same public functions;
  (d) service layer: ``yiwang.seals.services.sign`` — permission check, seal row lock, canonical
      JSON, SM3, SM2, the SealUse row and the hash-chained audit record, one committed transaction
      each — and ``services.verify`` (structure, SM3, seal lookup, SM2, use-record lookup), on a
      throw-away SQLite database with production settings.
Target: ≥ 0.8 × OpenSSL, for signing and for verifying. (b) and (c) compare like with like; (d)
includes the database work of every call, and says how many SQL statements each makes.

The database, media and var/ live in a temporary directory; var/yiwang.sqlite3 is never touched.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 0.8
MESSAGE = bytes(range(256)) + b"x" * 44  # about the size of a signed structure's message
LICENCE = {"licence_no": "1.2.156.3005.2.spjyxk.11220000MB0000001X.000001.1.K",
           "holder": "长春市净月潭绿色食品有限公司", "holder_uscc": "91220101MA00000001",
           "issued_on": "2026-09-29", "valid_until": "2031-09-28", "issuer": "吉林省市场监督管理局",
           "scope": ["热食类食品制售", "冷食类食品制售"], "address": "长春市净月区净月大街 1 号"}


def rate(call, seconds: float) -> float:
    """Calls per second of ``call`` over about ``seconds`` of wall-clock time."""
    for _ in range(20):  # warm up
        call()
    count, started = 0, time.perf_counter()
    deadline = started + seconds
    while True:
        for _ in range(50):
            call()
        count += 50
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


def setup(workdir: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from yiwang.common.keys import ensure_rsa_key

    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "yiwang.settings",
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "YIWANG_VAR_DIR": str(workdir / "var"),
        "YIWANG_MEDIA_ROOT": str(workdir / "media"),
        # Production settings: no debug query log.
        "YIWANG_DEBUG": "0", "YIWANG_SECRET_KEY": "bench-only-secret",
        "YIWANG_ALLOWED_HOSTS": "127.0.0.1,localhost", "YIWANG_SSL_REDIRECT": "0",
        "YIWANG_OIDC_KEY_FILE": str(ensure_rsa_key(workdir / "oidc-signing-key.pem")),
        "YIWANG_SEAL_KEY": "YmVuY2gtb25seS1zZWFsLWtleS1ub3QtYS1zZWNyZXQ=",
        "YIWANG_LOG_LEVEL": "WARNING",
        "YIWANG_TASKS_BACKEND": "django.tasks.backends.dummy.DummyBackend",
    })
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_seal():
    """A department, its admin and certifier, and one licence seal."""
    import zlib

    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.utils import timezone
    from stdnum.cn import uscc

    from yiwang.orgs.models import Membership, Role
    from yiwang.orgs.services import create_department
    from yiwang.regions.models import Region, RegionLevel
    from yiwang.seals import services

    province = Region.objects.create(code="220000", name="吉林省", level=RegionLevel.PROVINCE,
                                     path="220000/", full_name="吉林省")
    body = "11220000MB0000001"
    department = create_department(name="吉林省市场监督管理局", uscc=body + uscc.calc_check_digit(body),
                                   code="31", region=province)
    users = get_user_model().objects
    admin, certifier = users.create_user("bench_admin"), users.create_user("bench_certifier")
    Membership.objects.create(user=admin, department=department, role=Role.DEPARTMENT_ADMIN)
    Membership.objects.create(user=certifier, department=department, role=Role.CERTIFIER)
    ihdr = b"IHDR" + (1).to_bytes(4, "big") * 2 + b"\x08\x02\x00\x00\x00"
    image = (b"\x89PNG\r\n\x1a\n" + (13).to_bytes(4, "big") + ihdr
             + zlib.crc32(ihdr).to_bytes(4, "big"))
    today = timezone.localdate()
    seal = services.create_seal(department=department, name="吉林省市场监督管理局电子证照专用章",
                                kind="licence", image=ContentFile(image, name="seal.png"),
                                valid_from=today, valid_until=today + dt.timedelta(days=365),
                                actor=admin)
    return seal, certifier


def measure(seconds: int, rounds: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from yiwang.seals import crypto, services

    seal, certifier = make_seal()
    public_pem, sealed_key = seal.public_key_pem, bytes(seal.encrypted_private_key)
    der = crypto.sign(sealed_key, public_pem, MESSAGE)
    counter = iter(range(10**9))

    def service_sign():
        return services.sign(seal, {**LICENCE, "serial": next(counter)}, actor=certifier,
                             purpose="核发食品经营许可证")

    signature = service_sign()
    if not services.verify(LICENCE | {"serial": 0}, signature).ok:
        raise SystemExit("services.verify rejected a fresh signature")
    with CaptureQueriesContext(connection) as signing:
        service_sign()
    with CaptureQueriesContext(connection) as verifying:
        services.verify(LICENCE | {"serial": 0}, signature)

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

    runs = {key: [] for key in ("openssl_sign", "openssl_verify", "crypto_sign", "crypto_verify",
                                "compute_sign", "compute_verify", "service_sign", "service_verify")}
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
    result = {key: statistics.median(values) if values else None for key, values in runs.items()}
    result["queries"] = {"sign": len(signing.captured_queries), "verify": len(verifying.captured_queries)}
    return result


def report(result: dict, seconds: int, rounds: int) -> None:
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
        ("服务层 services", "service_sign", "service_verify",
         f"含数据库：用印写 SealUse + 审计链（{result['queries']['sign']} 条 SQL），"
         f"验章查印章和用印记录（{result['queries']['verify']} 条 SQL），SQLite"),
    ]
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
        if sign_key != "openssl_sign" and sign_ratio is not None:
            verdicts.append((f"{label} 签名", sign_ratio))
            verdicts.append((f"{label} 验签", verify_ratio))
    print()
    if not verdicts:
        print("未能运行 openssl speed sm2，无法对照")
        return
    print(f"目标：≥ {TARGET:g} × OpenSSL")
    for label, ratio in verdicts:
        print(f"  [{'PASS' if ratio >= TARGET else 'FAIL'}] {label}：{ratio:.2f}×")


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
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="yiwang-bench-seals-"))
    try:
        setup(workdir)
        result = measure(args.seconds, args.rounds)
        report(result, args.seconds, args.rounds)
    finally:
        if args.keep:
            print(f"工作目录：{workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
