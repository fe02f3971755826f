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


def normalize(text: str) -> str:
    """Index and query see the same folding: lower case only, as LIKE/icontains does."""
    return text.lower()


def split_terms(query: str) -> list[str]:
    """Whitespace separates terms; every term must match (AND), each as a substring."""
    return list(dict.fromkeys(normalize(query).split()))


def bigrams(text: str) -> tantivy.PreTokenizedString:
    """Overlapping bigrams of normalized ``text``, each at the position of its first character.

    The positions are what make a phrase of bigrams mean "contiguous substring"; tantivy's own
    n-gram tokenizer puts every gram at position 0, so the tokens are made here.
    """
    token = tantivy.Token
    tokens = [token(text[i:i + 2], i, i, i + 2) for i in range(len(text) - 1)]
    return tantivy.PreTokenizedString(text, tokens)


def query_bigrams(term: str) -> list[tuple[int, str]]:
    return [(i, term[i:i + 2]) for i in range(len(term) - 1)]
