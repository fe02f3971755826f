"""Highlighting: <mark> around every occurrence of a query term, everything else escaped (the
result is rendered with ``|safe``)."""

from __future__ import annotations

from django.utils.html import escape

from .analysis import normalize

SNIPPET_CHARS = 80
CONTEXT_BEFORE = 16


def _matches(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Merged [start, end) spans of ``words`` in ``text``, case-insensitively."""
    folded = normalize(text)
    if len(folded) != len(text):
        # Lower-casing changed the length (rare letters such as "İ"): offsets would not line
        # up, so fall back to matching the text as written.
        folded = text
    spans = []
    for word in words:
        start = folded.find(word)
        while start != -1:
            spans.append((start, start + len(word)))
            start = folded.find(word, start + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def mark(text: str, words: list[str], spans: list[tuple[int, int]] | None = None,
         start: int = 0, end: int | None = None) -> str:
    """``text[start:end]`` escaped, with the matching spans wrapped in <mark>."""
    end = len(text) if end is None else end
    spans = _matches(text, words) if spans is None else spans
    out, pos = [], start
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start >= span_end:
            continue
        out.append(escape(text[pos:span_start]))
        out.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        pos = span_end
    out.append(escape(text[pos:end]))
    return "".join(out)


def snippet(segments: list[tuple[str, str]], labels: dict[str, str], terms: list[list[str]]) -> str:
    """The passage that matches the most query terms (each term being a list of its variants),
    cut to about ``SNIPPET_CHARS`` around the first match and labelled with where it comes from.
    Without a match outside the name, the first passage is shown unmarked."""
    words = [w for variants in terms for w in variants]
    best, best_score = None, 0
    for kind, text in segments:
        folded = normalize(text)
        score = sum(any(v in folded for v in variants) for variants in terms)
        if score > best_score:
            best, best_score = (kind, text), score
    if best is None:
        if not segments:
            return ""
        best = segments[0]
    kind, text = best
    spans = _matches(text, words) if best_score else []
    start = max(0, spans[0][0] - CONTEXT_BEFORE) if spans else 0
    end = min(len(text), start + SNIPPET_CHARS)
    body = mark(text, words, spans, start, end)
    return (f"{escape(labels[kind])}：{'…' if start else ''}{body}"
            f"{'…' if end < len(text) else ''}")
