"""A small stop-word vote to name the language of an article (ISO 639-1)."""

import re

_STOPWORDS = {
    "en": "the of and to in is that for it with as was on be by are this have from",
    "fr": "le la les de des et est un une du que pour dans sur pas qui au avec",
    "de": "der die das und ist nicht ein eine zu den von mit sich des auf für",
    "es": "el la los las de que y en un una es por con para del se al",
    "it": "il di che la e un una per non sono del della con le gli si",
    "nl": "de het een en van is dat op te in niet zijn voor met die",
    "pt": "o a os as de que e do da em um uma para com não por se",
}
_WORDS = {code: frozenset(words.split()) for code, words in _STOPWORDS.items()}
_TOKEN = re.compile(r"[^\W\d_]+")


def detect_language(text: str) -> str | None:
    tokens = _TOKEN.findall(text[:5000].lower())
    if len(tokens) < 5:
        return None
    votes = {code: sum(1 for token in tokens if token in words) for code, words in _WORDS.items()}
    code, count = max(votes.items(), key=lambda item: item[1])
    return code if count >= max(2, len(tokens) // 50) else None
