"""智能咨询: answer a citizen's free-text question from the published guides and their 常见问题.

No model and no outside service: the question goes to the catalogue's own search engine (which
cuts a phrasing into content words and expands synonyms), and for the best few items every
passage of the published guide is scored against the question:

- each 常见问题 by how much of the question its own question repeats (character bigrams, so
  "身份证丢了补办期间怎么坐火车" finds "身份证丢了，补办期间坐火车怎么办？");
- each guide element (受理条件, 申请材料, 办理时限, 收费标准, 办理地点, 办理时间, 咨询电话, 办理流程)
  by whether the question asks for it (多久 → 办理时限, 多少钱 → 收费标准, 带什么 → 申请材料 …);
  a question that asks for nothing in particular gets the 受理条件, which says what the item is.

An item's share of the answer is how much of the question's content words its name, aliases and
guide contain (the name and aliases count fully, the rest of the guide less). Below
``KNOWN_THRESHOLD`` the answer says it does not know, names the closest items, offers the 12345
hotline, and the question is logged (``UnansweredQuestion``) for the catalogue editors, one row
per normalised question with a count.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from yiwang.common.errors import NotFound, PermissionDenied, TooManyRequests, ValidationError
from yiwang.common.identifiers import redact_text
from yiwang.common.pagination import Page, paginate
from yiwang.common.ratelimit import over_limit
from yiwang.orgs.models import Role
from yiwang.regions.models import Region
from yiwang.regions.services import get_region
from yiwang.supervision import audit

from . import search
from .models import GuideVersion, HandlingKind, Material, ServiceItem, UnansweredQuestion
from .search import synonyms
from .search.analysis import MAX_QUERY_LENGTH
from .search.phrasing import content_words
from .selectors import staff_departments

MAX_QUESTION_LENGTH = 200
HOTLINE = "12345"
# Items whose guides are read for a passage: the search's best few.
CANDIDATES = 5
# Tuned on the demo catalogue (tests/catalog/test_consult_demo.py): questions about an item's
# conditions, materials, time, fees, place or its FAQs score 0.72 and more; questions about
# things no guide holds (天气, 股票开户, 快递丢了) score 0.52 and less.
KNOWN_THRESHOLD = 0.6
# Within the guide a word counts less than in the name or aliases: a guide mentions many things.
TEXT_WEIGHT = 0.6
# An editor's answer to the same question beats a guide element that merely fits its kind.
FAQ_BONUS = 0.1
# The question names the item (办身份证 is an alias of 居民身份证首次申领): that item before others
# that only hold the same words.
NAMED_BONUS = 0.1
# Below this share of the question's words an item is about something else, whatever passage fits.
MIN_TOPIC = 0.6
NO_ANSWER = (f"抱歉，暂时没有找到能回答这个问题的办事指南。您可以换个说法再问，"
             f"或拨打{HOTLINE}政务服务便民热线咨询。")

# What a question asks for, by its cue words; the first element it asks for wins.
ASKS_FOR: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("fees", ("多少钱", "收费", "收不收费", "费用", "免费", "要钱", "花钱", "工本费", "交钱", "交费")),
    ("time_limit", ("多久", "多长时间", "几天", "多少天", "时限", "几个工作日", "多快", "多少个工作日")),
    ("materials", ("材料", "带什么", "带哪些", "准备什么", "准备哪些", "需要什么", "提交什么",
                   "要带", "证件")),
    ("office_hours", ("几点", "上班时间", "办公时间", "工作时间", "周末", "节假日")),
    ("location", ("在哪", "哪里", "哪儿", "地点", "地址", "去哪", "窗口")),
    ("phone", ("电话", "联系方式", "热线")),
    ("process", ("流程", "步骤", "程序", "环节")),
    ("conditions", ("条件", "能不能", "可不可以", "能否", "符合", "资格", "谁可以")),
)
# Anchor of each element on the portal's item page.
ANCHORS = {"faq": "faqs", "conditions": "conditions", "materials": "materials",
           "time_limit": "basic", "fees": "fees", "location": "place", "office_hours": "place",
           "phone": "place", "process": "process"}
LABELS = {"faq": "常见问题", "conditions": "受理条件", "materials": "申请材料",
          "time_limit": "办理时限", "fees": "收费标准", "location": "办理地点",
          "office_hours": "办理时间", "phone": "咨询电话", "process": "办理流程"}

_NOT_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Passage:
    kind: str  # "faq" or a guide element (see LABELS)
    text: str
    title: str = ""  # the FAQ's question

    @property
    def label(self) -> str:
        return LABELS[self.kind]


@dataclass(frozen=True)
class ItemLink:
    name: str
    handling_code: str
    department: str

    @property
    def url(self) -> str:
        return reverse("portal:item", args=[self.handling_code])


@dataclass
class Answer:
    """What the consultation box shows. ``known`` is False when no passage answers the question
    well enough; ``related`` then lists the closest items, if any."""

    question: str
    known: bool
    score: float = 0.0
    item: ItemLink | None = None
    passage: Passage | None = None
    related: list[ItemLink] = field(default_factory=list)
    hotline: str = HOTLINE

    @property
    def anchor(self) -> str:
        """Where on the item page the quoted passage is."""
        return ANCHORS[self.passage.kind] if self.passage else ""

    @property
    def url(self) -> str:
        return f"{self.item.url}#{self.anchor}" if self.item else ""

    @property
    def message(self) -> str:
        return "" if self.known else NO_ANSWER


# --- the question ------------------------------------------------------------------------------


def normalize_question(text: str) -> str:
    """The form two askings of one question share: full-width folded, lower case, without spaces
    and punctuation (身份证丢了怎么办？ = 身份证丢了 怎么办)."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).lower())


def clean_question(text: str | None) -> str:
    """The question as asked, checked: not empty, not too long, some words in it."""
    text = (text or "").strip()
    if not text:
        raise ValidationError("请输入您要咨询的问题", code="consult.empty_question")
    if len(text) > MAX_QUESTION_LENGTH:
        raise ValidationError(f"问题不能超过{MAX_QUESTION_LENGTH}个字，请简要描述",
                              code="consult.question_too_long",
                              details={"max_length": MAX_QUESTION_LENGTH})
    if not normalize_question(text):
        raise ValidationError("问题中没有文字，请用文字描述您要办的事", code="consult.no_words")
    return text


def throttle(client: str | None) -> None:
    """Each question may add to the editors' log: a client may ask so many a minute."""
    limit = int(getattr(settings, "CONSULT_QUESTIONS_PER_MINUTE", 30))
    if over_limit(f"consult:{client or 'unknown'}", limit=limit, window=60):
        raise TooManyRequests("提问过于频繁，请一分钟后再试", code="consult.rate_limited")


_CUES = frozenset(cue for _kind, cues in ASKS_FOR for cue in cues)


def _words(question: str) -> list[str]:
    """The question's content words; words that only say what is asked for (几天, 多少钱, 带)
    are left to ``_asks_for``: no guide is about them."""
    phrases = synonyms.phrases()
    chunks = _NOT_WORD.sub(" ", unicodedata.normalize("NFKC", question).lower()).split()
    words = dict.fromkeys(w for chunk in chunks for w in content_words(chunk, phrases))
    return [w for w in words if not any(w in cue for cue in _CUES)]


def _search_query(question: str, words: list[str]) -> str:
    """What the search engine is asked: the question itself when it fits (the engine tries it
    whole, then its content words), else its longer content words."""
    spaced = " ".join(_NOT_WORD.sub(" ", question).split())
    if len(spaced) <= MAX_QUERY_LENGTH:
        return spaced
    query = ""
    for word in (w for w in words if len(w) > 1):
        if len(query) + len(word) + 1 > MAX_QUERY_LENGTH:
            break
        query = f"{query} {word}".strip()
    return query


def _asks_for(question: str) -> str | None:
    normalized = normalize_question(question)
    return next((kind for kind, cues in ASKS_FOR if any(c in normalized for c in cues)), None)


def _bigrams(text: str) -> set[str]:
    text = normalize_question(text)
    return {text[i:i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def _similarity(a: str, b: str) -> float:
    """Dice coefficient of the two texts' character bigrams."""
    first, second = _bigrams(a), _bigrams(b)
    if not first or not second:
        return 0.0
    return 2 * len(first & second) / (len(first) + len(second))


# --- the guide's passages ----------------------------------------------------------------------


def _days(days: int) -> str:
    return f"{days}个工作日"


def passages(version: GuideVersion) -> list[Passage]:
    """Every passage of a published guide the box may quote: its FAQs, then its elements."""
    found = [Passage("faq", f.answer, f.question) for f in version.faqs.all()]
    if version.handling_kind == HandlingKind.IMMEDIATE:
        limit = "即办件，材料齐全、符合法定形式的当场办结。"
    else:
        limit = f"承诺办结时限{_days(version.promised_time_limit)}"
        if version.legal_time_limit:
            limit += f"（法定办结时限{_days(version.legal_time_limit)}）"
        limit += "。"
    fees = "；".join(f"{f.get('name', '')}{f.get('amount', '')}元"
                    + (f"（{f['basis']}）" if f.get("basis") else "")
                    for f in version.fees) or "本事项不收费。"
    materials = "；".join(f"{i}. {m.name}（{m.get_necessity_display()}）"
                         for i, m in enumerate(version.materials.all(), start=1))
    steps = "；".join(f"{i}. {s.get('name', '')}" + (f"：{s['description']}" if s.get("description")
                                                     else "")
                     for i, s in enumerate(version.process_steps, start=1))
    elements = [
        ("conditions", version.conditions),
        ("materials", materials or "本事项无需提交申请材料。"),
        ("time_limit", limit),
        ("fees", fees),
        ("location", version.location),
        ("office_hours", version.office_hours),
        ("phone", version.consult_phone and f"咨询电话：{version.consult_phone}"),
        ("process", steps),
    ]
    return found + [Passage(kind, text) for kind, text in elements if text]


def _names(version: GuideVersion) -> list[str]:
    names = [version.name, *re.split(r"[、,，;；\s]+", version.aliases)]
    return [n for n in (normalize_question(n) for n in names) if len(n) > 1]


def _texts(version: GuideVersion) -> tuple[str, str]:
    """(title text, guide text) an item's share of the question is measured against."""
    title = normalize_question(f"{version.name} {version.aliases}")
    guide = [version.conditions, version.result_name, version.legal_basis,
             *(m.name for m in version.materials.all()),
             *(f"{s.get('name', '')} {s.get('description', '')}" for s in version.process_steps),
             *(f"{f.question} {f.answer}" for f in version.faqs.all())]
    return title, normalize_question(" ".join(guide))


def _coverage(words: list[str], title: str, guide: str) -> tuple[float, float]:
    """How much of the question's content the item holds, overall and in its name and aliases
    alone: each word (or a synonym variant of it) found in the name or aliases counts its
    weight, in the guide ``TEXT_WEIGHT`` of it. Single characters left over by the segmentation
    (丢, 带) weigh half a word."""
    total = in_title = in_guide = 0.0
    for word in words:
        weight = 1.0 if len(word) > 1 else 0.5
        variants = [normalize_question(v) for v in synonyms.variants(word)]
        total += weight
        if any(v and v in title for v in variants):
            in_title += weight
        elif any(v and v in guide for v in variants):
            in_guide += weight * TEXT_WEIGHT
    if not total:
        return 0.0, 0.0
    return (in_title + in_guide) / total, in_title / total


def _passage_score(question: str, asked: str | None, passage: Passage, named: float) -> float:
    """How well ``passage`` answers: an FAQ by its question's likeness to the question, an
    element by being what is asked for. A question that asks for nothing in particular is
    answered by the 受理条件 of the item it names, as far as it names it (``named``)."""
    if passage.kind == "faq":
        return _similarity(question, passage.title) + FAQ_BONUS
    if asked:
        return 1.0 if passage.kind == asked else 0.0
    return named if passage.kind == "conditions" else 0.0


def _published_versions(item_ids: list[int]) -> dict[int, GuideVersion]:
    versions = (GuideVersion.objects.filter(item_id__in=item_ids, item__published_version=F("pk"))
                .select_related("item__department")
                .prefetch_related(Prefetch("materials", queryset=Material.objects.order_by("order")),
                                  "faqs"))
    return {v.item_id: v for v in versions}


def _link(version: GuideVersion) -> ItemLink:
    return ItemLink(version.name, version.item.handling_code, version.item.department.name)


def find_answer(question: str, *, region: Region | None = None) -> Answer:
    """The best passage for ``question`` (already cleaned), without logging anything."""
    words = _words(question)
    query = _search_query(question, words)
    if not words or not query:
        return Answer(question=question, known=False)
    hits = search.search(query, near=region.code if region else None,
                         page_size=CANDIDATES).hits
    versions = _published_versions([hit.item_id for hit in hits])
    ranked = [versions[hit.item_id] for hit in hits if hit.item_id in versions]
    asked = _asks_for(question)
    normalized = normalize_question(question)
    best: tuple[float, float, GuideVersion, Passage] | None = None
    for rank, version in enumerate(ranked):
        topic, named = _coverage(words, *_texts(version))
        # The engine's order breaks ties between items that hold the same words.
        bonus = 0.02 * (len(ranked) - rank) / len(ranked)
        if any(name in normalized for name in _names(version)):
            bonus += NAMED_BONUS
        for passage in passages(version):
            score = 0.5 * topic + 0.5 * min(_passage_score(question, asked, passage, named), 1.0)
            if best is None or score + bonus > best[0]:
                best = (score + bonus, topic, version, passage)
    if best is None:
        return Answer(question=question, known=False)
    score, topic, version, passage = best
    score = min(score, 1.0)
    known = score >= KNOWN_THRESHOLD and topic >= MIN_TOPIC
    related = [_link(v) for v in ranked if v != version or not known][:3]
    return Answer(question=question, known=known, score=round(score, 3),
                  item=_link(version) if known else None, passage=passage if known else None,
                  related=related)


def answer(question: str | None, *, region: Region | str | None = None) -> Answer:
    """Answer a citizen's question (see the module docstring); a question without a good answer
    is logged for the editors. Bad input raises ``ValidationError`` (consult.*); an unknown
    region ``NotFound``."""
    question = clean_question(question)
    if isinstance(region, str):
        region = get_region(region) if region else None
    result = find_answer(question, region=region)
    if not result.known:
        log_unanswered(question, region=region,
                       best_item_code=result.related[0].handling_code if result.related else None)
    return result


# --- the editors' log --------------------------------------------------------------------------


def log_unanswered(question: str, *, region: Region | None = None,
                   best_item_code: str | None = None) -> UnansweredQuestion:
    """Count one more asking of ``question``; a question the editors marked handled that is asked
    again (still unanswered) goes back on their list."""
    text = redact_text(question)[:MAX_QUESTION_LENGTH]
    normalized = normalize_question(text)[:MAX_QUESTION_LENGTH]
    best_item = (ServiceItem.objects.filter(handling_code=best_item_code).first()
                 if best_item_code else None)
    now = timezone.now()
    for _attempt in range(2):
        try:
            with transaction.atomic():
                entry, created = UnansweredQuestion.objects.select_for_update().get_or_create(
                    normalized=normalized,
                    defaults={"text": text, "region": region, "best_item": best_item,
                              "last_asked_at": now})
                if not created:
                    UnansweredQuestion.objects.filter(pk=entry.pk).update(
                        count=F("count") + 1, last_asked_at=now, text=text,
                        region=region or entry.region, best_item=best_item or entry.best_item,
                        handled_at=None, handled_by=None)
                    entry.refresh_from_db()
                return entry
        except IntegrityError:
            # Two first askings at once: the other one made the row; count on it.
            continue
    raise IntegrityError("could not log the question")


def can_see_unanswered(user) -> bool:
    """Catalogue editors of any department (and superusers) read and handle the log."""
    return bool(user.is_authenticated and (
        user.is_superuser or staff_departments(user, Role.CATALOG_EDITOR).exists()))


def _require_editor(user) -> None:
    if not can_see_unanswered(user):
        raise PermissionDenied("只有事项编辑可以处理未解答的咨询", code="consult.not_editor")


def unanswered_questions(user, *, q: str = "", status: str = "open", page=1) -> Page:
    """The log as the editors read it: open questions (or handled, or all), the most asked and
    the latest first, filtered by ``q`` in the question."""
    _require_editor(user)
    rows: QuerySet[UnansweredQuestion] = UnansweredQuestion.objects.select_related(
        "region", "best_item__published_version", "handled_by")
    if status == "open":
        rows = rows.filter(handled_at__isnull=True)
    elif status == "handled":
        rows = rows.filter(handled_at__isnull=False)
    elif status != "all":
        raise ValidationError(f"状态“{status}”无效，可选：open、handled、all",
                              code="consult.status_invalid")
    q = (q or "").strip()
    if q:
        rows = rows.filter(Q(text__icontains=q) | Q(normalized__icontains=normalize_question(q)))
    return paginate(rows.order_by("-count", "-last_asked_at", "-id"), page)


@transaction.atomic
def mark_handled(pk: int, *, actor, note: str = "") -> UnansweredQuestion:
    """An editor has dealt with the question (added an FAQ, an alias or a synonym, or judged it
    out of scope): it leaves the open list until it is asked again."""
    _require_editor(actor)
    entry = UnansweredQuestion.objects.select_for_update().filter(pk=pk).first()
    if entry is None:
        raise NotFound("该咨询记录不存在", code="consult.question_not_found")
    if entry.handled_at is None:
        entry.handled_at, entry.handled_by = timezone.now(), actor
        entry.save(update_fields=["handled_at", "handled_by"])
        audit.record("consult.question_handled", actor=actor, subject=entry,
                     summary=f"未解答咨询“{entry.text[:40]}”标记为已处理",
                     data={"count": entry.count, "note": note[:200]})
    return entry
