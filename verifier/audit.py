"""核验审计记录：导出的审计记录（JSON Lines）对照已签名公布的检查点和平台公钥，证明一段记录未被改动。

Reads what ``manage.py export_audit`` writes, the checkpoints published at /audit/checkpoints.json
(one or more downloaded pages) and the platform's public key from /audit/public-key.pem; the
formats are in docs/audit-export.md. It proves records ``a..c`` untouched when every hash
recomputes, every link and time follows, and the chain's hash at a checkpoint's seq ``c`` equals
the head hash the checkpoint signed, with a valid signature: rewriting a record and recomputing
every later hash then still fails at the checkpoint. Records after the last checkpoint of the
range are intact as far as the export goes, but nothing signed vouches for them yet: they are
reported as not yet anchored, a warning and not a proof.

Exit status: 0 when nothing is wrong (warnings may remain), 1 when something is, 2 when an input
cannot be read.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import datetime as dt
import hashlib
import itertools
import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import sm

GENESIS_HASH = "0" * 64
CHECKPOINTS_FORMAT = "yiwang.audit.checkpoints/1"
CHECKPOINT_TYPE = "yiwang.audit.checkpoint"
SIGNED_FIELDS = ("version", "seal", "signer", "signed_at", "algorithm", "user_id", "data_hash")
# Adoption order: a chain moves from SHA-256 to SM3 and never back.
ALGORITHMS = {"sha256": 0, "sm3": 1}


class InputError(Exception):
    """An input file that cannot be read as the format says (exit status 2)."""


@dataclass
class Checkpoint:
    seq: int
    head_hash: str
    at: dt.datetime
    digest: str
    previous: dict | None
    seal_code: str


@dataclass
class Report:
    ok: bool = True
    first_seq: int | None = None
    last_seq: int | None = None
    records: int = 0
    anchored_through: int | None = None
    checkpoints: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def fail(self, message: str) -> None:
        self.ok = False
        self.problems.append(message)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--records", required=True, type=Path,
                        help="审计记录导出文件（JSON Lines，manage.py export_audit 的输出）")
    parser.add_argument("--checkpoints", required=True, type=Path, action="append",
                        help="检查点文件（/audit/checkpoints.json 的一页或多页，可重复指定）")
    parser.add_argument("--public-key", required=True, type=Path, action="append",
                        help="平台签名公钥（/audit/public-key.pem；换过印章时可重复指定）")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出核验结果")


def run(args: argparse.Namespace) -> int:
    try:
        keys = [path.read_text(encoding="ascii") for path in args.public_key]
        documents = [_read_json(path) for path in args.checkpoints]
        with args.records.open(encoding="utf-8") as lines:
            report = verify(lines, documents, keys)
    except (OSError, UnicodeDecodeError) as exc:
        print(f"无法读取输入文件：{exc}", file=sys.stderr)
        return 2
    except InputError as exc:
        print(f"输入格式错误：{exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(asdict(report), ensure_ascii=False, indent=1))
    else:
        _print(report)
    return 0 if report.ok else 1


def _print(report: Report) -> None:
    span = (f"第 {report.first_seq} 至 {report.last_seq} 条" if report.records else "（没有记录）")
    print(f"审计记录 {span}，共 {report.records} 条；有效检查点 {report.checkpoints} 个；"
          f"SM2 验签：{sm.backend()}")
    for problem in report.problems:
        print(f"✗ {problem}")
    for warning in report.warnings:
        print(f"! {warning}")
    if report.ok and report.anchored_through is not None:
        print(f"✓ 第 {report.first_seq} 至 {report.anchored_through} 条记录未被改动"
              f"（由第 {report.anchored_through} 条处的签名检查点证明）")
    print("核验通过" if report.ok else "核验未通过")


# --- the check -------------------------------------------------------------------------------------


def verify(lines, documents: list[dict], public_keys: list[str]) -> Report:
    """Check the exported ``lines`` (an iterable of JSON Lines) against the checkpoint
    ``documents`` and ``public_keys`` (PEM). Raises InputError for input that is not the format."""
    report = Report()
    anchors = _valid_checkpoints(documents, public_keys, report)
    report.checkpoints = len(anchors)
    _walk(lines, anchors, report)
    if report.records:
        beyond = [seq for seq in anchors if seq > report.last_seq]
        if report.ok and report.anchored_through != report.last_seq:
            start = (report.anchored_through or report.first_seq - 1) + 1
            report.warnings.append(f"第 {start} 至 {report.last_seq} 条记录尚未锚定：其后没有签名检查点，"
                                   "只核对了哈希和链接，不能证明未被改动（待下一个检查点公布后再核验）")
        if beyond and report.ok:
            report.warnings.append(f"导出截至第 {report.last_seq} 条，检查点已到第 {max(beyond)} 条："
                                   "其间的记录不在本次核验范围内")
    return report


def _walk(lines, anchors: dict[int, Checkpoint], report: Report) -> None:
    """Recompute and link every record; stop at the first break, since every later link would
    only repeat it."""
    previous = None  # (seq, hash, algorithm, time) of the record before
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        record = _parse_record(line, number)
        seq, content = record["seq"], record["content"]
        if previous is None:
            report.first_seq = seq
            expected_prev = GENESIS_HASH if seq == 1 else (anchors[seq - 1].head_hash
                                                          if seq - 1 in anchors else None)
        else:
            expected_prev = previous[1]
            if seq != previous[0] + 1:
                what = "缺失或不在其位置" if seq > previous[0] + 1 else "顺序错乱或重复"
                report.fail(f"第 {previous[0] + 1} 条记录{what}（第 {number} 行是第 {seq} 条）")
                return
        failure = _check_record(record, previous, expected_prev)
        if failure:
            report.fail(failure)
            return
        at = _time(content.get("at"), f"第 {seq} 条记录的时间")
        anchor = anchors.get(seq)
        if anchor is not None:
            if record["hash"] != anchor.head_hash:
                report.fail(f"第 {seq} 条记录的哈希与该序号的签名检查点（{_utc(anchor.at)} 签署）不符："
                            f"第 {report.first_seq} 至 {seq} 条记录中有记录在签名后被改写，"
                            "即使其后的哈希都已重新计算")
                return
            if at > anchor.at:
                report.fail(f"第 {seq} 条记录的时间晚于签署它的检查点")
                return
            report.anchored_through = seq
        report.records += 1
        report.last_seq = seq
        previous = (seq, record["hash"], record["hash_algorithm"], at)


def _check_record(record: dict, previous: tuple | None, expected_prev: str | None) -> str:
    """The first thing wrong with ``record`` after ``previous``, or ""."""
    seq, content, algorithm = record["seq"], record["content"], record["hash_algorithm"]
    if content.get("seq") != seq:
        return f"第 {seq} 条记录的内容序号与行序号不符"
    if algorithm not in ALGORITHMS:
        return f"第 {seq} 条记录的哈希算法“{algorithm}”无法识别"
    if algorithm == "sm3" and content.get("hash_algorithm") != "sm3":
        return f"第 {seq} 条记录标为 SM3，内容中却没有写明算法"
    if algorithm == "sha256" and "hash_algorithm" in content:
        return f"第 {seq} 条记录标为 SHA-256，内容中却写有算法"
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    digest = sm.sm3_hex(canonical) if algorithm == "sm3" else hashlib.sha256(canonical).hexdigest()
    if digest != record["hash"]:
        return f"第 {seq} 条记录的内容与其哈希值不符，记录已被改动"
    if expected_prev is not None and content.get("prev_hash") != expected_prev:
        before = f"第 {seq - 1} 条记录的哈希" if seq > 1 else "链首值"
        return f"第 {seq} 条记录的前序哈希与{before}不符"
    if previous is not None:
        if ALGORITHMS[algorithm] < ALGORITHMS[previous[2]]:
            return f"第 {seq} 条记录的哈希算法从 {previous[2]} 退回到 {algorithm}"
        at = _time(content.get("at"), f"第 {seq} 条记录的时间")
        if at < previous[3] or (at == previous[3] and algorithm != "sha256"):
            return (f"第 {seq} 条记录的时间（{_utc(at)}）不晚于第 {previous[0]} 条（{_utc(previous[3])}），"
                    "时间必须沿链递增")
    return ""


def _valid_checkpoints(documents: list[dict], public_keys: list[str],
                       report: Report) -> dict[int, Checkpoint]:
    """The checkpoints of ``documents`` whose signature verifies, by seq; a bad one is a
    problem, since a forged checkpoint means someone tried to vouch for a rewritten chain."""
    entries = {}
    for document in documents:
        if not isinstance(document, dict) or document.get("format") != CHECKPOINTS_FORMAT:
            raise InputError(f"检查点文件不是 {CHECKPOINTS_FORMAT} 格式")
        for entry in document.get("checkpoints") or []:
            seq = entry.get("data", {}).get("seq") if isinstance(entry, dict) else None
            if not isinstance(seq, int):
                raise InputError("检查点缺少链上序号")
            if seq in entries and entries[seq] != entry:
                report.fail(f"检查点 #{seq} 出现两个不同的版本")
            entries[seq] = entry
    anchors = {}
    for seq in sorted(entries):
        checkpoint = _check_checkpoint(entries[seq], public_keys)
        if isinstance(checkpoint, str):
            report.fail(f"检查点 #{seq} {checkpoint}")
        else:
            anchors[seq] = checkpoint
    _check_checkpoint_links(anchors, report)
    return anchors


def _check_checkpoint(entry: dict, public_keys: list[str]) -> Checkpoint | str:
    """The checkpoint, or why its signature or content does not stand."""
    data, signature = entry.get("data"), entry.get("signature")
    if not isinstance(data, dict) or not isinstance(signature, dict):
        return "格式不正确"
    if data.get("type") != CHECKPOINT_TYPE or data.get("version") != 1:
        return "不是第 1 版审计检查点"
    if set(signature) != {*SIGNED_FIELDS, "signature"}:
        return "签章结构字段不全或含有未知字段"
    if signature["algorithm"] != "SM3withSM2" or signature["user_id"] != sm.USER_ID:
        return "签名算法不是 SM3withSM2（用户标识 1234567812345678）"
    if sm.sm3_hex(_canonical(data)) != signature["data_hash"]:
        return "的内容与签名时的摘要不符，检查点被改动过"
    try:
        der = base64.b64decode(signature["signature"], validate=True)
    except (TypeError, ValueError, binascii.Error):
        return "的签名值不是 Base64"
    message = _canonical({name: signature[name] for name in SIGNED_FIELDS})
    try:
        signed = any(sm.verify_sm2(key, message, der) for key in public_keys)
    except ValueError as exc:
        raise InputError(f"公钥无法使用：{exc}") from exc
    if not signed:
        return "的签名无效：不是平台公钥对应的私钥签署的（伪造的检查点），或签章信息被改动过"
    head_hash, previous = data.get("head_hash"), data.get("previous")
    if not (isinstance(head_hash, str) and len(head_hash) == 64):
        return "的链头哈希格式不正确"
    seal = signature["seal"]
    return Checkpoint(seq=data["seq"], head_hash=head_hash, at=_time(data.get("at"), "检查点时间"),
                      digest=signature["data_hash"], previous=previous,
                      seal_code=seal.get("code", "") if isinstance(seal, dict) else "")


def _check_checkpoint_links(anchors: dict[int, Checkpoint], report: Report) -> None:
    """Consecutive checkpoints must name each other: one left out of the list shows."""
    ordered = [anchors[seq] for seq in sorted(anchors)]
    for earlier, later in itertools.pairwise(ordered):
        expected = {"seq": earlier.seq, "digest": earlier.digest}
        if later.previous != expected:
            named = later.previous.get("seq") if isinstance(later.previous, dict) else None
            report.fail(f"检查点 #{later.seq} 的前一检查点是 #{named}，而列表中其前是 #{earlier.seq}："
                        "检查点列表缺失或被替换")
        elif later.at < earlier.at:
            report.fail(f"检查点 #{later.seq} 的时间早于其前的检查点 #{earlier.seq}")


# --- parsing ---------------------------------------------------------------------------------------


def _canonical(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _no_duplicate_keys(pairs: list) -> dict:
    keys = [key for key, _ in pairs]
    if len(keys) != len(set(keys)):
        raise InputError(f"JSON 对象含有重复的键：{sorted({k for k in keys if keys.count(k) > 1})}")
    return dict(pairs)


def _loads(text: str, where: str):
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}不是有效的 JSON：{exc.msg}") from exc


def _read_json(path: Path):
    return _loads(path.read_text(encoding="utf-8"), str(path))


def _parse_record(line: str, number: int) -> dict:
    record = _loads(line, f"第 {number} 行")
    if not (isinstance(record, dict) and set(record) == {"seq", "hash_algorithm", "hash", "content"}
            and isinstance(record["seq"], int) and isinstance(record["content"], dict)
            and isinstance(record["hash"], str) and isinstance(record["hash_algorithm"], str)):
        raise InputError(f"第 {number} 行不是一条审计记录（应有 seq、hash_algorithm、hash、content）")
    return record


def _time(value, where: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{where}格式不正确：{value!r}") from exc
    if moment.tzinfo is None:
        raise InputError(f"{where}缺少时区：{value!r}")
    return moment


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")
