"""Text analysis shared by indexing and querying.

The rule the engine promises is substring semantics: an item matches a query term exactly when
the term occurs (case-insensitively) in one of its searchable texts, as ``LIKE '%term%'`` would
find it. Each text is indexed as overlapping character n-grams of every width up to
``LONGEST_GRAM``, so:

- a term of one to four characters is a single gram: one posting list, nothing to intersect and
  no positions to compare (a phrase of bigrams over a term as common as 居民身份 spends most of
  its time comparing positions);
- a longer term is a phrase of the 4-grams that cover it, the only field that needs positions;
  4-gram posting lists are far shorter than bigram ones.
"""

from __future__ import annotations

import tantivy

# A longer query is almost always pasted text; the limit also bounds the size of the phrase
# queries built from it.
MAX_QUERY_LENGTH = 50
LONGEST_GRAM = 4
# Empty positions between two texts of one field: more than the widest step between two grams
# of a query (LONGEST_GRAM, see covering_grams), so no phrase can bridge them.
_TEXT_GAP = LONGEST_GRAM + 1


def normalize(text: str) -> str:
    """Index and query see the same folding: lower case only, as LIKE/icontains does."""
    return text.lower()


def split_terms(query: str) -> list[str]:
    """Whitespace separates terms; every term must match (AND), each as a substring."""
    return list(dict.fromkeys(normalize(query).split()))


def positioned_grams(texts: list[str]) -> tantivy.PreTokenizedString:
    """Overlapping ``LONGEST_GRAM``-grams of the normalized ``texts``, each at the position of
    its first character. Every text starts ``_TEXT_GAP`` positions after the end of the previous
    one.

    The positions are what make a phrase of grams mean "contiguous substring" (tantivy's own
    n-gram tokenizer puts every gram at position 0, so these tokens are made here; the shorter
    grams need no positions and are left to it); the gap keeps a phrase from running from the
    end of one text into the next, as LIKE over separate columns or rows never would.
    """
    token, width = tantivy.Token, LONGEST_GRAM
    tokens: list[tantivy.Token] = []
    base = 0
    for text in texts:
        count = len(text) - width + 1
        if count > 0:
            # map() over ranges rather than a generator expression: making these tokens is
            # most of the time a rebuild spends in Python.
            positions = range(base, base + count)
            tokens += map(token, [text[i:i + width] for i in range(count)], positions, positions,
                          range(base + width, base + width + count))
        base += len(text) + _TEXT_GAP
    return tantivy.PreTokenizedString("\n".join(texts), tokens)


def covering_grams(term: str) -> list[tuple[int, str]]:
    """The fewest ``LONGEST_GRAM``-grams that cover a longer ``term``, with their offsets:
    居民身份证 → 居民身份@0, 民身份证@1; 最低生活保障金 → 最低生活@0, 活保障金@3.

    Positions are character offsets, so grams at offsets 0 and 4 already pin down eight
    contiguous characters; the overlapping ones between would only add posting lists to
    intersect. Steps are therefore at most ``LONGEST_GRAM`` (see _TEXT_GAP).
    """
    width = LONGEST_GRAM
    offsets = list(range(0, len(term) - width + 1, width))
    if offsets[-1] != len(term) - width:
        offsets.append(len(term) - width)
    return [(i, term[i:i + width]) for i in offsets]
