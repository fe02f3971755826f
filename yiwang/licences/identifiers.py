"""The licence identifier (证照标识) in the style of GB/T 36904:

    1.2.156.3005.2.<licence type code>.<issuer USCC>.<serial>.<version>.<check>

``1.2.156.3005.2`` is the OID arc of electronic licences, the type code is lowercase letters and
digits, the issuer is the issuing department's 18-character USCC, the serial six digits, the
version a positive number. The check character is ISO 7064 MOD 37,36 over the alphabet 0-9A-Z of
everything before it, dots left out and letters upper-cased (the alphabet has no dot and no
lowercase letters). MOD 37,36 catches every single substitution and every transposition of
neighbours. Pure functions: no database."""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum.iso7064 import mod_37_36

from yiwang.common.errors import ValidationError

ARC = "1.2.156.3005.2"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SERIAL_DIGITS = 6
TYPE_CODE = re.compile(r"[a-z][a-z0-9]{1,19}")
_IDENTIFIER = re.compile(
    re.escape(ARC) + r"\.(?P<type_code>[a-z][a-z0-9]{1,19})\.(?P<issuer>[0-9A-Z]{18})"
    rf"\.(?P<serial>\d{{{SERIAL_DIGITS}}})\.(?P<version>[1-9]\d{{0,3}})\.(?P<check>[0-9A-Z])")


@dataclass(frozen=True)
class LicenceIdentifier:
    type_code: str
    issuer_uscc: str
    serial: int
    version: int

    @property
    def body(self) -> str:
        return f"{ARC}.{self.type_code}.{self.issuer_uscc}.{self.serial:0{SERIAL_DIGITS}d}.{self.version}"

    def __str__(self) -> str:
        return f"{self.body}.{check_character(self.body)}"


def check_character(body: str) -> str:
    """The MOD 37,36 check character of an identifier without its last part."""
    return mod_37_36.calc_check_digit(body.replace(".", "").upper(), ALPHABET)


def build(type_code: str, issuer_uscc: str, serial: int, version: int = 1) -> str:
    if not TYPE_CODE.fullmatch(type_code):
        raise ValidationError(f"证照类型代码“{type_code}”应为小写字母开头的 2 至 20 位小写字母或数字",
                              code="licence.bad_type_code")
    if not 0 < serial < 10 ** SERIAL_DIGITS:
        raise ValidationError(f"证照序号应为 1 至 {10 ** SERIAL_DIGITS - 1}", code="licence.bad_serial")
    return str(LicenceIdentifier(type_code, issuer_uscc, serial, version))


def parse(text: str) -> LicenceIdentifier:
    """The parts of a well-formed identifier with a correct check character. Refused with
    ``licence.bad_format`` (naming the expected shape) or ``licence.bad_check`` (naming the check
    character the identifier should end with)."""
    text = (text or "").strip()
    match = _IDENTIFIER.fullmatch(text)
    if match is None:
        raise ValidationError(f"证照标识格式不正确，应为 {ARC}.证照类型代码.发证机关统一社会信用代码"
                              f".{SERIAL_DIGITS}位序号.版本号.校验位", code="licence.bad_format")
    body, given = text.rsplit(".", 1)
    expected = check_character(body)
    if given != expected:
        raise ValidationError(f"证照标识校验位错误：末位应为“{expected}”而不是“{given}”，"
                              "请核对证照标识是否抄错", code="licence.bad_check",
                              details={"expected": expected})
    return LicenceIdentifier(match["type_code"], match["issuer"], int(match["serial"]),
                             int(match["version"]))
