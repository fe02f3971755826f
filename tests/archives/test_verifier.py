"""``python -m verifier archive``: a package exported by the platform verifies with the platform
seal's public key in a process that has neither Django nor the project; a changed, removed or
added file, an edited manifest or another key fails with a message that says which."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command

from verifier import archive as verifier
from yiwang.archives import services
from yiwang.archives.packaging import MANIFEST, json_bytes
from yiwang.seals.crypto import generate_key_pair, sm3_hex

ROOT = Path(__file__).resolve().parents[2]


def run_verifier(package: Path, key: Path) -> subprocess.CompletedProcess:
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("DJANGO", "YIWANG", "PYTHONPATH"))}
    return subprocess.run([sys.executable, "-m", "verifier", "archive", str(package),
                           "--public-key", str(key)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60, check=False)


@pytest.fixture
def exported(world, tmp_path):
    """The package of a refused case, exported as the archives system receives it."""
    package = services.form_package(world.refused())
    call_command("export_archives", str(tmp_path), "--number", package.number)
    return (tmp_path / f"{package.number}.zip", tmp_path / f"{world.platform_seal.seal_code}.pem")


def repack(path: Path, change) -> Path:
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    change(members)
    target = path.with_name("tampered.zip")
    with zipfile.ZipFile(target, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return target


def test_an_exported_package_verifies_stand_alone(exported, tmp_path):
    package, key = exported
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [package.name, key.name, package.name.replace(".zip", ".check.json")])
    result = run_verifier(package, key)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("验证通过（OK）")
    assert "10 个文件的 SM3 摘要和平台印章签章均有效" in result.stdout  # 2 uploads + 8 records


def test_the_verifier_imports_neither_django_nor_the_project():
    code = ("import sys, verifier.__main__, verifier.archive; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('django', 'yiwang')]; "
            "sys.exit(1 if bad else 0)")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False).returncode == 0


@pytest.mark.parametrize(("change", "message"), [
    (lambda m: m.__setitem__("materials/01-营业执照.pdf", b"%PDF-1.4 forged"),
     "文件 materials/01-营业执照.pdf 的 SM3 摘要与清单不符，文件被改动过"),
    (lambda m: m.pop("process/events.json"), "缺少文件 process/events.json（file missing）"),
    (lambda m: m.__setitem__("materials/99-补充.pdf", b"%PDF-1.4"),
     "多出清单未列的文件 materials/99-补充.pdf（extra file not in the manifest）"),
    (lambda m: m.__setitem__(MANIFEST, m[MANIFEST].replace("不予受理".encode(), "已送达".encode())),
     "清单与签章时的摘要不符，清单在签章后被改动过（manifest altered after signing）"),
], ids=["changed file", "removed file", "added file", "edited manifest"])
def test_a_tampered_package_fails_with_a_clear_message(exported, change, message):
    package, key = exported
    result = run_verifier(repack(package, change), key)
    assert result.returncode == 1
    assert message in result.stderr
    assert result.stderr.startswith("验证失败（FAILED）")


def test_a_file_changed_with_its_digest_rewritten_in_the_manifest_breaks_the_signature(exported):
    """The forger who also fixes the manifest's digest still cannot sign it."""
    package, key = exported

    def forge(members):
        members["materials/01-营业执照.pdf"] = forged = b"%PDF-1.4 forged"
        manifest = json.loads(members[MANIFEST])
        for row in manifest["files"]:
            if row["path"] == "materials/01-营业执照.pdf":
                row.update(sm3=sm3_hex(forged), size=len(forged))
        members[MANIFEST] = json_bytes(manifest)

    result = run_verifier(repack(package, forge), key)
    assert result.returncode == 1
    assert "清单在签章后被改动过" in result.stderr
    assert "materials/01" not in result.stderr  # every file matches the (forged) manifest


def test_a_key_other_than_the_platform_seal_s_does_not_verify_the_package(exported, tmp_path):
    package, _ = exported
    other = tmp_path / "other.pem"
    other.write_text(generate_key_pair()[0])
    result = run_verifier(package, other)
    assert result.returncode == 1
    assert "SM2 signature does not verify with this public key" in result.stderr


def test_an_unreadable_package_exits_2(tmp_path, exported):
    _, key = exported
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    result = run_verifier(junk, key)
    assert result.returncode == 2
    assert "不是可读的 zip 文件" in result.stderr


@pytest.mark.parametrize("backend", ["tongsuopy", "openssl"])
def test_a_package_verifies_with_either_sm2_backend_and_a_forged_one_does_not(exported, backend,
                                                                             monkeypatch):
    """verifier.sm picks tongsuopy when installed, else the openssl command: the same verdicts."""
    from verifier import sm

    if backend == "openssl":
        monkeypatch.setattr(sm, "_ts_ec", None)
    package, key = exported
    pem = key.read_bytes()
    assert verifier.check_package(package.read_bytes(), pem) == []
    with zipfile.ZipFile(package) as archive:
        signature = json.loads(archive.read("signature.json"))
    message = verifier.canonical_json({f: signature[f] for f in verifier.SIGNED_FIELDS})
    der = base64.b64decode(signature["signature"])
    assert sm.verify_sm2(pem.decode(), message, der)
    assert not sm.verify_sm2(pem.decode(), message + b" ", der)
