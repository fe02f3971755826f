"""Highlighting: <mark> around every occurrence of a query term, everything else escaped (the
result is rendered with ``|safe``). This runs for every hit of every search, so it sticks to
plain string operations."""

from __future__ import annotations

from html import escape

SNIPPET_CHARS = 80
CONTEXT_BEFORE = 16


def _matches(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Merged [start, end) spans of ``words`` in ``text``, case-insensitively."""
    folded = text.lower()
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
    if len(spans) < 2:
        return spans
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


def _best_segment(segments, terms: list[list[str]]):
    """The first passage matching the most query terms, and how many it matches."""
    if len(terms) == 1:
        variants = terms[0]
        for segment in segments:
            folded = segment[1].lower()
            for variant in variants:
                if variant in folded:
                    return segment, 1
        return None, 0
    best, best_score = None, 0
    for segment in segments:
        folded = segment[1].lower()
        score = sum(any(v in folded for v in variants) for variants in terms)
        if score > best_score:
            best, best_score = segment, score
    return best, best_score


def snippet(segments: list[tuple[str, str]], labels: dict[str, str], terms: list[list[str]]) -> str:
    """The passage that matches the most query terms (each term being a list of its variants),
    cut to about ``SNIPPET_CHARS`` around the first match and labelled with where it comes from.
    Without a match outside the name, the first passage is shown unmarked."""
    best, matched = _best_segment(segments, terms)
    if best is None:
        if not segments:
            return ""
        best = segments[0]
    kind, text = best
    spans = _matches(text, [w for variants in terms for w in variants]) if matched else []
    start = max(0, spans[0][0] - CONTEXT_BEFORE) if spans else 0
    end = min(len(text), start + SNIPPET_CHARS)
    body = mark(text, [], spans, start, end)
    return (f"{escape(labels[kind])}：{'…' if start else ''}{body}"
            f"{'…' if end < len(text) else ''}")
