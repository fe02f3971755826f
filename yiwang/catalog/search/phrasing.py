"""How a citizen's phrasing (群众说法) becomes search words: "怎么开公司" → 开公司, "网上办理营业执照"
→ 营业执照, "孩子上学" → 孩子, 上学.

The phrase is segmented with jieba (``rjieba``, the Rust port of the maintained jieba
dictionary) in its precise mode, words that together spell one of the administrators' synonym
terms are joined again (开公司 is a phrase with its own expansion, jieba reads 开 + 公司), and
function words are dropped: question words, "网上/办理/申请", "我要/想", particles. What is left
are the content words that the engine looks up, each with its synonym variants.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import rjieba

# Words that say how or where the citizen wants to do something, not what: every item can be
# done 网上 and every item is 办理/申请-ed, so these only narrow the search to guides that happen
# to use the same verb. Kept short on purpose: a word here can never be searched for inside a
# phrase of several words (a one-word query is still searched as typed).
STOP_WORDS = frozenset((
    "怎么", "怎样", "怎么样", "怎么办", "如何", "如何办", "咋", "咋办", "怎么弄", "为啥",
    "什么", "哪些", "哪个", "哪里", "哪儿", "在哪", "在哪里", "在哪儿", "去哪", "去哪里",
    "到哪", "到哪里", "网上", "在线", "线上", "掌上", "办理", "办", "申请", "申办",
    "申领", "我要", "我想", "我", "我的", "想", "要", "需要", "要求", "可以", "能",
    "能不能", "可不可以", "是否", "请问", "帮", "帮忙", "给", "一下", "了", "的",
    "地", "得", "吗", "呢", "吧", "啊", "呀", "么", "嘛", "是", "有", "在",
    "去", "到", "找", "和", "与", "及", "或", "还是", "多久", "多长时间", "什么样",
    "流程", "手续", "材料", "相关", "有关", "问题", "办事", "业务", "事项", "服务",
    "指南", "咨询",
))
# Punctuation and spaces jieba returns as words of their own.
_NOT_A_WORD = re.compile(r"^[\W_]+$")


def _join_phrases(words: list[str], phrases: set[str]) -> list[str]:
    """Consecutive words that together spell one of the administrators' ``phrases`` become that
    phrase (开 + 公司 → 开公司); a phrase inside one word stays inside it (社保卡 is kept, and its
    synonym variants still replace the 社保 in it)."""
    joined, i = [], 0
    while i < len(words):
        for j in range(len(words), i + 1, -1):
            if "".join(words[i:j]) in phrases:
                joined.append("".join(words[i:j]))
                i = j
                break
        else:
            joined.append(words[i])
            i += 1
    return joined


def content_words(chunk: str, phrases: Iterable[str] = ()) -> list[str]:
    """The content words of one space-free ``chunk`` of a query, in order, without repeats."""
    words = _join_phrases(rjieba.cut(chunk), set(phrases))
    return list(dict.fromkeys(
        w for w in words if w not in STOP_WORDS and not _NOT_A_WORD.match(w)))
