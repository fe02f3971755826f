"""Text analysis shared by indexing and querying.

The rule the engine promises is substring semantics: an item matches a query term exactly when
the term occurs (case-insensitively) in one of its searchable texts, as ``LIKE '%term%'`` would
find it. Character bigrams whose position is their character offset give that for any length:
a two-character term is one bigram, a longer term is a phrase of its overlapping bigrams at
consecutive positions, and a single character is looked up in a separate unigram field.
"""

from __future__ import annotations

import tantivy

# A longer query is almost always pasted text; the limit also bounds the size of the phrase
# queries built from it.
MAX_QUERY_LENGTH = 50
# Empty positions between two texts of one field: more than the widest step between two
# bigrams of a query (see query_bigrams), so no phrase can bridge them.
_TEXT_GAP = 4


def normalize(text: str) -> str:
    """Index and query see the same folding: lower case only, as LIKE/icontains does."""
    return text.lower()


def split_terms(query: str) -> list[str]:
    """Whitespace separates terms; every term must match (AND), each as a substring."""
    return list(dict.fromkeys(normalize(query).split()))


def bigrams(texts: list[str]) -> tantivy.PreTokenizedString:
    """Overlapping bigrams of the normalized ``texts``, each at the position of its first
    character. Every text starts ``_TEXT_GAP`` positions after the end of the previous one.

    The positions are what make a phrase of bigrams mean "contiguous substring" (tantivy's own
    n-gram tokenizer puts every gram at position 0, so the tokens are made here); the gap keeps
    a phrase from running from the end of one text into the next, as LIKE over separate
    columns or rows never would.
    """
    token = tantivy.Token
    tokens = []
    base = 0
    for text in texts:
        tokens.extend(token(text[i:i + 2], base + i, base + i, base + i + 2)
                      for i in range(len(text) - 1))
        base += len(text) + _TEXT_GAP
    return tantivy.PreTokenizedString("\n".join(texts), tokens)


def query_bigrams(term: str) -> list[tuple[int, str]]:
    """The fewest bigrams that cover ``term``, with their offsets: 居民身份 → 居民@0, 身份@2.

    Positions are character offsets, so bigrams at offsets 0 and 2 already pin down four
    contiguous characters; the overlapping 民身 would only add a posting list to intersect.
    """
    offsets = list(range(0, len(term) - 1, 2))
    if offsets[-1] != len(term) - 2:
        offsets.append(len(term) - 2)
    return [(i, term[i:i + 2]) for i in offsets]
