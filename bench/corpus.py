"""A deterministic synthetic corpus of policy articles, written as files the archive ingests.

Article ``i`` depends only on ``(seed, i)``, so a small corpus is a prefix of a large one.
Usage: ``python -m bench.corpus --n 10000 [--seed 1] [--out bench/corpus]``.
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path

DEFAULT_SEED = 1
SHARD_SIZE = 1000
FIRST_DAY = date(2016, 1, 1)
DAYS = 3653  # ten years


def _words(text: str) -> list[str]:
    return text.split()


COMMON = _words(
    "the of and to a in that is for it as was with be by on not he this are or his from at "
    "which but have an they you were their one all we can her has there been if more when "
    "will would who so no its also after new some into two could than them these other only "
    "over such about most many any those may should because then where while both each "
    "between under during before through against since without however still just what how "
    "much"
)
# Real words of the domain: the head of the Zipfian vocabulary, in rough order of frequency.
DOMAIN = _words(
    "policy government said year people new public report law rules market companies "
    "technology data system plan officials minister industry country countries world state "
    "federal national european commission agency committee proposal bill support security "
    "research development digital services sector economic economy growth investment funding "
    "budget million billion percent cost costs price prices trade tax jobs workers business "
    "businesses users platform platforms online models model access risk risks safety "
    "standards framework strategy review decision court case evidence impact change changes "
    "approach process program project projects infrastructure networks network power grid "
    "climate emissions carbon health care education schools students universities science "
    "scientists innovation startups firms investors capital banks finance financial "
    "regulators regulator authority authorities agencies parliament congress senate lawmakers "
    "vote election campaign leaders summit talks agreement treaty partners allies China "
    "Europe Britain America Japan India Brussels Washington London Paris Berlin Beijing Tokyo "
    "Delhi Canada Australia Korea Singapore chips semiconductors supply chain manufacturing "
    "exports imports sanctions controls licensing compliance enforcement fines penalties "
    "audit audits oversight accountability privacy consumers citizens rights freedom speech "
    "content moderation misinformation elections cyber attacks defence military intelligence "
    "cloud computing software hardware algorithms automation robots productivity wages skills "
    "training education apprenticeships employers unions pension welfare housing transport "
    "cities rural regions local councils water food farming nuclear solar wind batteries "
    "hydrogen gas oil coal electricity demand capacity datacentres datacenters quarter week "
    "month today yesterday earlier later recently months weeks years decade first second "
    "third last next major key important significant clear strong large small open global "
    "local international domestic foreign private independent senior chief former current "
    "future early critical broader wider final initial legal political technical commercial "
    "social ethical scientific medical"
)
# Phrases that make the archive's themes fire; each article leans on one to three of them.
THEME_PHRASES = {
    "ai-safety": ["AI safety", "frontier models", "model evaluations", "catastrophic risk"],
    "regulation": ["regulation", "regulatory sandbox", "the AI Act", "rulemaking"],
    "data-protection": ["data protection", "personal data", "GDPR", "privacy rules"],
    "workforce": ["workforce", "reskilling", "labour market", "job displacement"],
    "compute": ["compute", "GPU clusters", "data centres", "chip export controls"],
    "international-cooperation": [
        "international cooperation",
        "multilateral agreement",
        "G7 process",
        "global governance",
    ],
    "energy": ["energy", "electricity demand", "the power grid", "renewable energy"],
    "national-security": [
        "national security",
        "defence applications",
        "critical infrastructure",
        "export controls",
    ],
    "transparency": ["transparency", "disclosure requirements", "model cards", "audit trails"],
    "bias": ["bias", "algorithmic discrimination", "fairness testing", "biased outcomes"],
}
FIRST_NAMES = _words(
    "Ada Adam Aisha Alan Alex Alice Amir Ana Andrea Anna Ben Bruno Carla Carlos Chen Chloe "
    "Chris Claire Daniel David Diana Elena Eli Emma Eric Eva Farah Felix Fiona Gabriel Grace "
    "Hana Hannah Hugo Ian Ines Isaac Ivan Jack James Jana Javier Jin John Jonas Jorge Julia "
    "Kai Karen Kate Kenji Kofi Laura Lena Leo Liam Lina Lucas Lucy Maya Marco Maria Mark "
    "Marta Max Mei Mia Michael Miguel Nadia Nina Noah Nora Olivia Omar Oscar Pablo Paul Pedro "
    "Priya Rahul Raj Rosa Ruth Sam Sara Sean Sofia Sven Tariq Tom Uma Victor Wei Yara Yusuf "
    "Zara Zoe"
)
ROLES = (  # noqa: SIM905
    "chief economist|policy director|head of AI policy|minister for digital affairs|"
    "senior fellow|general counsel|chief executive|research director|spokesperson|"
    "director of public policy|professor of computer science|"
    "chief technology officer|commissioner|deputy director|"
    "head of government affairs|chair"
).split("|")
ORG_KINDS = ["Institute", "Labs", "Group", "Foundation", "Ministry of Technology", "Council"]
OUTLET_WORDS = _words(
    "Times Herald Ledger Wire Review Post Journal Observer Tribune Dispatch Monitor Gazette "
    "Report Insight Digest Courier Chronicle Record Bulletin Standard"
)
SYLLABLES = _words(
    "ba be bi bo bu ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu ra re ri ro "
    "ru sa se si so su ta te ti to tu va ve vi vo za ze zo dar ven mor tel kin sol bran wick "
    "ford ton ley son berg stein ham wood"
)
VERBS = ("said", "added", "told reporters", "argued", "warned", "noted", "explained")
TITLE_PATTERNS = (
    "{A} weighs {t} as {b} debate widens",
    "{A} plans new rules on {t}",
    "Why {t} matters for {b}",
    "{A} and {B} clash over {t}",
    "Officials push {t} ahead of {b} talks",
    "What the {t} push means for {b}",
    "{A} sets out {t} strategy",
)


def _word(rng: random.Random, low: int, high: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(low, high)))


@dataclass(frozen=True)
class Speaker:
    first: str
    last: str
    role: str
    org: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


class Vocabulary:
    """Pools shared by every article of a seed: words, speakers, organisations, publishers."""

    def __init__(self, seed: int = DEFAULT_SEED, *, speakers: int = 3000, publishers: int = 50):
        rng = random.Random(f"bench-vocabulary-{seed}")
        invented: list[str] = []
        seen = set(DOMAIN) | set(COMMON)
        while len(invented) < 20000:
            word = _word(rng, 2, 4)
            if word not in seen:
                seen.add(word)
                invented.append(word)
        self.words = DOMAIN + invented
        # Zipf (s = 1.05) over the domain head followed by the invented long tail.
        weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(self.words))]
        self.cum_weights = list(itertools.accumulate(weights))
        surnames = sorted({_word(rng, 2, 3).capitalize() for _ in range(speakers * 2)})
        rng.shuffle(surnames)
        self.orgs = sorted(
            {f"{_word(rng, 2, 3).capitalize()} {rng.choice(ORG_KINDS)}" for _ in range(400)}
        )
        self.speakers = [
            Speaker(rng.choice(FIRST_NAMES), surnames[i], rng.choice(ROLES), rng.choice(self.orgs))
            for i in range(speakers)
        ]
        speaker_weights = [1.0 / (rank + 1) ** 0.8 for rank in range(speakers)]
        self.speaker_cum = list(itertools.accumulate(speaker_weights))
        names = sorted({f"The {_word(rng, 2, 3).capitalize()}" for _ in range(publishers * 2)})
        rng.shuffle(names)
        self.publishers = [f"{name} {rng.choice(OUTLET_WORDS)}" for name in names[:publishers]]
        self.authors = [f"{rng.choice(FIRST_NAMES)} {s}" for s in surnames[speakers:][:400]]

    @cached_property
    def rare_words(self) -> list[str]:
        """Words far down the tail: each appears in a handful of articles per 10,000."""
        return self.words[6000:6050]


def _sentence(rng: random.Random, vocab: Vocabulary, phrases: list[str], low=8, high=24) -> str:
    size = rng.randint(low, high)
    content = rng.choices(vocab.words, cum_weights=vocab.cum_weights, k=size)
    words = [w if rng.random() < 0.55 else rng.choice(COMMON) for w in content]
    if phrases and rng.random() < 0.35:
        words.insert(rng.randrange(len(words)), rng.choice(phrases))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def _quote(rng: random.Random, vocab: Vocabulary, phrases: list[str]) -> str:
    return _sentence(rng, vocab, phrases, 8, 20)[:-1]


def _format_day(day: date) -> str:
    return f"{day.strftime('%B')} {day.day}, {day.year}"


def article_text(i: int, seed: int = DEFAULT_SEED, vocab: Vocabulary | None = None) -> str:
    """The text of article ``i``: title, byline, date line, paragraphs with attributed quotes."""
    vocab = vocab or Vocabulary(seed)
    rng = random.Random(f"bench-article-{seed}-{i}")
    themes = rng.sample(sorted(THEME_PHRASES), rng.randint(1, 3))
    phrases = [p for theme in themes for p in THEME_PHRASES[theme]]
    target = min(2000, max(300, int(rng.lognormvariate(6.7, 0.45))))
    speakers = {
        s.name: s
        for s in rng.choices(vocab.speakers, cum_weights=vocab.speaker_cum, k=rng.randint(2, 5))
    }
    publisher = vocab.publishers[rng.randrange(len(vocab.publishers))]
    author = rng.choice(vocab.authors)
    day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    place = [w for w in DOMAIN[:300] if w[0].isupper()]
    title = rng.choice(TITLE_PATTERNS).format(
        A=rng.choice(place),
        B=rng.choice(place),
        t=rng.choice(phrases),
        b=rng.choice(THEME_PHRASES[rng.choice(sorted(THEME_PHRASES))]),
    )
    title = title[0].upper() + title[1:]
    introduced: set[str] = set()
    paragraphs: list[str] = []
    words = 0
    while words < target:
        if rng.random() < 0.35:
            speaker = rng.choice(list(speakers.values()))
            quote = _quote(rng, vocab, phrases)
            if speaker.name in introduced:
                verb = rng.choice(VERBS)
                text = f"“{quote},” {speaker.last} {verb}."
            else:
                introduced.add(speaker.name)
                text = f"“{quote},” said {speaker.name}, {speaker.role} at {speaker.org}."
            if rng.random() < 0.5:
                text += " " + _sentence(rng, vocab, phrases)
        else:
            text = " ".join(_sentence(rng, vocab, phrases) for _ in range(rng.randint(2, 5)))
        paragraphs.append(text)
        words += len(text.split())
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60]
    domain = re.sub(r"[^a-z]", "", publisher.lower()) + ".example"
    front = (
        f"---\npublisher: {publisher}\nurl: https://{domain}/{day.year}/{slug}-{i}\n---\n"
        if rng.random() < 0.9
        else f"---\npublisher: {publisher}\n---\n"
    )
    return "\n".join(
        [front + title, "", f"By {author}", "", _format_day(day), "", "\n\n".join(paragraphs), ""]
    )


def article_path(root: Path, i: int) -> Path:
    return root / f"{i // SHARD_SIZE:04d}" / f"{i:07d}.txt"


def corpus_dir(base: Path, n: int, seed: int = DEFAULT_SEED) -> Path:
    return Path(base) / f"seed{seed}-n{n}"


def generate(root: Path, n: int, seed: int = DEFAULT_SEED) -> Path:
    """Write ``n`` articles under ``root`` (sharded by 1,000); skip files already written."""
    root = Path(root)
    vocab = Vocabulary(seed)
    for i in range(n):
        path = article_path(root, i)
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(article_text(i, seed, vocab), encoding="utf-8")
    (root / ".complete").write_text(f"{n}\n")
    return root


def ensure_corpus(base: Path, n: int, seed: int = DEFAULT_SEED) -> Path:
    root = corpus_dir(base, n, seed)
    marker = root / ".complete"
    if not (marker.exists() and marker.read_text().strip() == str(n)):
        generate(root, n, seed)
    return root


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "corpus")
    args = parser.parse_args(argv)
    print(ensure_corpus(args.out, args.n, args.seed))


if __name__ == "__main__":
    main()
