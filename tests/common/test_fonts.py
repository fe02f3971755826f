"""Chinese renders on a fresh Linux machine: the site's font stack names the CJK fonts of every
common system, and CI installs one (a fresh Debian has none, and Chinese turns into boxes)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def body_fonts() -> list[str]:
    css = (ROOT / "yiwang/static/css/site.css").read_text(encoding="utf-8")
    body = re.search(r"^body \{(.*?)\}", css, re.S | re.M).group(1)
    stack = re.search(r"font-family:(.*?);", body, re.S).group(1)
    return [name.strip().strip('"') for name in stack.split(",")]


def test_the_body_font_stack_names_the_common_cjk_fonts_and_ends_generic():
    fonts = body_fonts()
    for name in ("Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
                 "WenQuanYi Micro Hei"):
        assert name in fonts
    assert fonts[-1] == "sans-serif"


def test_ci_installs_a_cjk_font_for_the_browser_screenshots():
    assert "missing+=(fonts-noto-cjk)" in (ROOT / ".ci/run").read_text(encoding="utf-8")
