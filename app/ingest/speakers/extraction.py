"""Who said what in an article: named speakers with their quotes, and quotes nobody is named for.

Rules are general (speech verbs, honorifics, role words, capitalised-token name shapes);
no person, outlet or phrase is named here. The work, paragraph by paragraph:

1. straighten quote marks (offsets kept), find quoted spans, split sentences outside quotes;
2. in each sentence find speech verbs outside the quotes and the subject on either side
   ("X said", "said X", "according to X"): a name with its titles and appositives, a pronoun,
   a description ("the economist", "an agency spokesperson") or an organisation;
3. resolve the subject: names to the people met so far (surname or any name token), pronouns
   and definite descriptions to the nearest compatible mention, or to nobody when two fit;
4. give each quotation the attribution next to it (after, before, interrupting, else the
   nearest in the sentence); turn "X said (that) ..." into reported quotes; carry speakers
   over quotations that run across paragraphs; read Q:/A: and NAME: transcript lines.

This module keeps the public shapes and the paragraph loop (step 4, credit lines and
transcript lines). The rest lives in modules that import downward only, in this order:
attributions.py (step 2: the speech verbs of one sentence and their subjects);
people.py (step 3: people met, mentions, pronouns and titles resolved);
subjects.py (the subject phrase beside a speech verb);
quotes.py (step 1, reported clauses, QuoteIn), cues.py (verbs of saying in every form)
and roles.py (titles, appositives; places.py says what is a place); names.py (name shapes,
speaker_key, same_person); vocabulary.py (shared words).

Evaluation: tests/extraction/evaluate.py over the labelled corpus in tests/extraction/, and
tests/extraction/news.py over real news (make eval-news CORPUS=...).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.ingest.speakers.attributions import Attr, find_attributions
from app.ingest.speakers.cues import COMPLEMENT_VERBS, SPEECH_PARTICIPLES
from app.ingest.speakers.names import is_cap, same_person, speaker_key
from app.ingest.speakers.people import (
    People,
    Person,
    learn_gender_from_clause,
    names_someone,
    scan_mentions,
)
from app.ingest.speakers.quotes import (
    CREDIT_RE,
    LABEL_RE,
    QUOTE_CREDIT_RE,
    TRANSCRIPT_RE,
    VERB_RE,
    QuoteIn,
    clean_quote,
    count_words,
    find_quote_spans,
    find_reported_clause,
    is_adverbial,
    mask_quotes,
    quote_opens_clause,
    split_sentences,
    straighten_quotes,
    tokenize,
)
from app.ingest.speakers.roles import is_weak_role, looks_like_org
from app.ingest.speakers.subjects import Subject, parse_name_phrase, parse_subject_at_start
from app.ingest.speakers.vocabulary import wordset

__all__ = [
    "Attribution",
    "QuoteIn",
    "SpeakerIn",
    "UnattributedQuote",
    "extract_speakers",
    "same_person",
    "speaker_key",
]


# --- public shapes -------------------------------------------------------------------------


@dataclass
class SpeakerIn:
    name: str  # fullest form of the name in the article, honorifics removed
    role: str | None
    affiliation: str | None
    aliases: list[str]  # other forms seen in the article
    quotes: list[QuoteIn]


@dataclass
class UnattributedQuote:
    text: str
    paragraph: int
    kind: str
    source: str | None  # how the source was described: "an agency spokesperson", "staff"
    organisation: str | None


@dataclass
class Attribution:
    speakers: list[SpeakerIn]
    unattributed: list[UnattributedQuote]


class _Extractor(People):
    """The people met so far, plus the quotes given to them or to nobody."""

    def __init__(self, byline: str | None) -> None:
        super().__init__()
        self.unattributed: list[UnattributedQuote] = []
        self.byline = byline
        self.ambiguous_last = False

    # output ---------------------------------------------------------------------------

    def emit(
        self, text: str, paragraph: int, kind: str, person: Person | None, subject: Subject | None
    ) -> None:
        text = clean_quote(text)
        if not text:
            return
        if person is not None:
            if kind == "reported" and self.byline and same_person(person.name, self.byline):
                return
            role = (
                subject.role
                if subject
                and subject.kind == "person"
                and subject.role
                and not is_weak_role(subject.role)
                else person.role or (subject.role if subject else None)
            )
            aff = (
                subject.affiliation
                if subject and subject.kind == "person" and subject.affiliation
                else person.affiliation
            )
            if person.has_quote(text, paragraph):
                return
            person.quotes.append(
                QuoteIn(text=text, paragraph=paragraph, kind=kind, role=role, affiliation=aff)
            )
            self.last_speaker = person
            if subject is not None and subject.kind == "person":
                self._emit_partners(text, paragraph, kind, subject)
            return
        source = None
        organisation = None
        if subject is not None:
            if subject.kind in {"pronoun", "skip"}:
                source = subject.surface or None
            else:
                source = subject.surface or None
                organisation = subject.organisation
        if any(u.text == text and u.paragraph == paragraph for u in self.unattributed):
            return
        self.unattributed.append(
            UnattributedQuote(
                text=text, paragraph=paragraph, kind=kind, source=source, organisation=organisation
            )
        )

    def _emit_partners(self, text: str, paragraph: int, kind: str, subject: Subject) -> None:
        """ "X and Y said ...": the same words for each of the joint speakers."""
        for partner in subject.partners:
            person, _ = self.find(partner.tokens, partner.gender)
            if person is None or person.has_quote(text, paragraph):
                continue
            person.quotes.append(
                QuoteIn(
                    text=text,
                    paragraph=paragraph,
                    kind=kind,
                    role=partner.role or person.role,
                    affiliation=partner.affiliation or person.affiliation,
                )
            )

    def result(self) -> Attribution:
        speakers = []
        for p in self.people:
            if not p.quotes:
                continue
            role = next((q.role for q in p.quotes if q.role and not is_weak_role(q.role)), p.role)
            aff = next((q.affiliation for q in p.quotes if q.affiliation), p.affiliation)
            aliases = [s for s in p.surfaces if s != p.name]
            speakers.append(
                SpeakerIn(name=p.name, role=role, affiliation=aff, aliases=aliases, quotes=p.quotes)
            )
        return Attribution(speakers=speakers, unattributed=self.unattributed)


_TITLE_LEADS = wordset("with on to of in from the told by")


def _is_title(norm: str, start: int, end: int) -> bool:
    """'an interview with "Morning Show,"': a programme or book title, not a quotation."""
    words = norm[start:end].strip("\"' ,.").split()
    if (
        not words
        or len(words) > 6
        or not all(w[:1].isupper() or not w[:1].isalpha() for w in words)
    ):
        return False
    before = norm[:start].split()[-1:]
    return bool(before) and before[0].lower() in _TITLE_LEADS


def _scene_setting(clause: str) -> bool:
    """ "In Paris on Monday," sets a scene; "As a woman, she drew less notice," reports."""
    if not is_adverbial(clause):
        return False
    _, comma, rest = clause.partition(",")
    return not (comma and count_words(rest) >= 4 and not is_adverbial(rest.strip()))


def _around_parenthetical(
    norm: str, masked: str, s_start: int, s_end: int, a: Attr, clause_before: str
) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The two halves of a clause an attribution interrupts: "A, X said, B" (or "said X")."""
    lo = min(a.subj_start, a.verb_start)
    hi = max(a.verb_end, a.subj_end)
    if not masked[s_start:lo].rstrip().endswith(",") or "\x00" in masked[s_start:hi]:
        return None
    if count_words(clause_before) < 2 or is_adverbial(clause_before):
        return None
    after = masked[hi:s_end]
    if not after.lstrip().startswith(","):
        return None
    start = hi + len(after) - len(after.lstrip()) + 1
    rest = masked[start:s_end].lstrip()
    if rest.split()[:1] and rest.split()[0].lower() in {"who", "which", "whose"}:
        comma = masked.find(",", start, s_end)  # "said X, who knows him, B": skip to B
        if comma == -1:
            return None
        start = comma + 1
    start += len(norm[start:s_end]) - len(norm[start:s_end].lstrip())
    if count_words(norm[start:s_end]) < 2 or norm[start:s_end].split()[0].lower() == "that":
        return None
    end_first = s_start + len(masked[s_start:lo].rstrip().rstrip(","))
    return (s_start, end_first), (start, s_end)


def _credited_person(ex: _Extractor, norm: str, base: int) -> tuple[Person, int] | None:
    """The person a dash credit names, and where the credit starts in the paragraph."""
    if "-" not in norm and "\u2015" not in norm and "\u2014" not in norm and "\u2013" not in norm:
        return None
    match = QUOTE_CREDIT_RE.search(norm)
    if match is None:
        return None
    words = [t.text for t in tokenize(match.group(1).split(",")[0])]
    subject = parse_name_phrase(words) if 0 < len(words) <= 6 else None
    if subject is None or subject.kind != "person" or len(subject.surface.split()) != len(words):
        return None
    if looks_like_org(subject.tokens):
        return None
    person, ambiguous = ex.find(subject.tokens)
    if person is None and not ambiguous and len(subject.tokens) >= 2:
        subject.definite = True
        person = ex.register(subject, base + match.start(), True)
    return (person, match.start()) if person is not None else None


def _interviewee(ex: _Extractor) -> Person | None:
    for m in ex.mentions:
        if ex.byline and same_person(m.person.name, ex.byline):
            continue
        return m.person
    return None


def extract_speakers(
    paragraphs: list[str], *, title: str = "", byline: str | None = None
) -> Attribution:
    """Speakers with their quotes, and quotes with no named source, from an article's paragraphs."""
    ex = _Extractor(byline)
    ex.text = straighten_quotes("\n".join([title, *paragraphs]))
    prev_open_speaker: tuple[bool, Person | None] | None = None  # (had open quote, speaker)
    prev_last_quote: tuple[Person | None, bool] | None = None  # (speaker, ends paragraph)
    awaiting: list[UnattributedQuote] = []
    for p_index, original in enumerate(paragraphs):
        paragraph = p_index + 1
        base = p_index * 1_000_000
        if not original.strip() or CREDIT_RE.match(original):
            prev_open_speaker = None
            prev_last_quote = None
            continue
        norm = straighten_quotes(original)

        credit = _credited_person(ex, norm, base)
        if credit is not None and credit[1] == 0:
            # "― Jane Doe" alone: the quotation just before is hers
            person = credit[0]
            moved = [
                u for u in ex.unattributed if u.paragraph == paragraph - 1 and u.kind == "direct"
            ]
            for quote in moved:
                ex.unattributed.remove(quote)
                ex.emit(quote.text, quote.paragraph, "direct", person, None)
            if (
                not moved
                and p_index
                and not any(q.paragraph == paragraph - 1 for p in ex.people for q in p.quotes)
            ):
                ex.emit(paragraphs[p_index - 1], paragraph - 1, "direct", person, None)
            prev_open_speaker = None
            prev_last_quote = None
            continue

        transcript = TRANSCRIPT_RE.match(norm)
        if transcript:
            if transcript.group(1).upper().startswith("A"):
                person = _interviewee(ex)
                if person is not None:
                    ex.emit(original[transcript.start(2) :], paragraph, "direct", person, None)
            prev_open_speaker = None
            continue
        label = LABEL_RE.match(norm)
        # "NAME: words" is a transcript line; "Okafor: 547." is a tally
        tally = label is not None and not any(c.isalpha() for c in label.group(2))
        if label and count_words(label.group(1)) <= 4 and not tally:
            label_toks = label.group(1).split()
            subject = None
            if all(t.isupper() for t in label_toks if t.isalpha()) and any(
                t.isalpha() for t in label_toks
            ):
                subject = parse_name_phrase([t.title() if len(t) > 2 else t for t in label_toks])
            elif all(is_cap(t) for t in label_toks):
                cand = parse_name_phrase(label_toks)
                if cand is not None and len(cand.tokens) == len(label_toks):
                    person, _ = ex.find(cand.tokens)
                    subject = cand if person is not None else None
            if (
                subject is not None
                and subject.kind == "person"
                and not looks_like_org(subject.tokens)
            ):
                if not (ex.byline and same_person(" ".join(subject.tokens), ex.byline)):
                    ex.sentence_id += 1
                    person, _ = ex.find(subject.tokens)
                    if person is None:
                        subject.definite = True
                        person = ex.register(subject, base, True)
                    if person is not None:
                        ex.emit(original[label.start(2) :], paragraph, "direct", person, None)
                prev_open_speaker = None
                continue

        spans, open_at_end = find_quote_spans(original, norm)
        masked = mask_quotes(norm, spans)
        sentences = split_sentences(norm, spans)
        para_quotes: list[tuple[int, str, Person | None, Subject | None, bool]] = []
        pending: list[tuple[int, str]] = []  # quotes with no attribution in their sentence
        resolved: list[tuple[Attr, Person | None]] = []
        for s_start, s_end in sentences:
            ex.sentence_id += 1
            has_verb = VERB_RE.search(masked, s_start, s_end) is not None
            if has_verb or names_someone(ex, masked, s_start, s_end):
                toks = tokenize(masked[s_start:s_end], s_start)
                attrs = find_attributions(toks, ex.text) if has_verb else []
                scan_mentions(ex, toks, base)
            else:
                attrs = []  # nobody speaks or is named here: skip the token work
            sent_spans = [
                (a, b) for a, b in spans if s_start <= a < s_end and not _is_title(norm, a, b)
            ]
            attrs = [a for a in attrs if a.subject.kind != "skip"]
            # A verb inside the clause of an earlier "X said ..." reports, it does not attribute.
            kept: list[Attr] = []
            new_clause: set[int] = set()  # where a coordinated clause with its speaker starts
            for a in attrs:
                if (
                    kept
                    and not kept[-1].inverted
                    and not kept[-1].relative
                    and not a.inverted
                    and a.verb not in SPEECH_PARTICIPLES
                ):
                    between = masked[kept[-1].verb_end : a.subj_start]
                    # "X says A, and Jane Doe, the adviser, said B": a new clause, a new speaker
                    joined = between.rstrip().endswith((", and", ", but", "; and", "; but"))
                    named = a.subject.kind in {"person", "pronoun"} and (
                        len(a.subject.tokens) >= 2 or a.subject.kind == "pronoun"
                    )
                    # "After X said A, Jane Doe said: ...": the first clause is subordinate
                    lead = masked[s_start : kept[-1].subj_start].strip().lower()
                    subordinate = lead in _SUBORDINATORS and between.rstrip()[-1:] in {",", "\x00"}
                    if "\x00" not in between and ":" not in between:
                        if not ((joined or subordinate) and named):
                            continue
                        new_clause.add(a.subj_start)
                    elif subordinate and named:
                        new_clause.add(a.subj_start)
                kept.append(a)
            attrs = kept
            resolved: list[tuple[Attr, Person | None]] = []
            for a in attrs:
                person = ex.resolve(a.subject, base + a.subj_start)
                if person is not None and a.subject.kind == "person":
                    learn_gender_from_clause(person, norm[a.verb_end : s_end])
                resolved.append((a, person))

            absorbed: set[tuple[int, int]] = set()
            for a, person in resolved:
                before = masked[s_start : min(a.subj_start, a.verb_start)]
                clause_before = before.strip().rstrip(",").strip()
                quote_before = bool(sent_spans) and any(
                    b <= min(a.subj_start, a.verb_start)
                    and not masked[b : min(a.subj_start, a.verb_start)].strip(" ,.—–-")
                    for _, b in sent_spans
                )
                if a.verb == "according to" and not clause_before:
                    clause = norm[a.subj_end : s_end].lstrip(" ,")
                    if count_words(clause) >= 3:
                        ex.emit(clause, paragraph, "reported", person, a.subject)
                        absorbed.update((x, y) for x, y in sent_spans if x >= a.subj_end)
                    continue
                if quote_before:
                    first_quote = min(x for x, _ in sent_spans)
                    lead = masked[s_start:first_quote].strip()
                    if a.inverted and count_words(lead) >= 3 and not _scene_setting(lead):
                        # 'The plan may be "strategic," said X': the words and the quote
                        ex.emit(
                            original[s_start : s_start + len(before.rstrip().rstrip(","))],
                            paragraph,
                            "reported",
                            person,
                            a.subject,
                        )
                        absorbed.update(sent_spans)
                    continue
                spliced = _around_parenthetical(norm, masked, s_start, s_end, a, clause_before)
                if spliced is not None:
                    # "If the law was never tested, X said, there is a simple reason": both halves
                    first, second = spliced
                    ex.emit(
                        original[first[0] : first[1]] + " " + original[second[0] : second[1]],
                        paragraph,
                        "reported",
                        person,
                        a.subject,
                    )
                    absorbed.update(sent_spans)
                    continue
                # "Asked about X, he said the plant ...": a clause after the verb wins
                # "The firm calls its product 'safe'" names a thing; a person calling it so speaks
                naming = a.verb in COMPLEMENT_VERBS and a.subject.kind not in {"person", "pronoun"}
                # "X, who says the law is wrong, voted ...": the relative clause ends at its comma
                c_end = s_end
                if a.relative and (comma := masked.find(",", a.verb_end, s_end)) != -1:
                    c_end = comma
                later = [x for x in new_clause if x > a.verb_end]
                if later:
                    # the clause ends where the next speaker's clause begins
                    c_end = min(c_end, min(later))
                right_clause = (
                    None
                    if a.inverted or naming
                    else find_reported_clause(norm, a.verb, a.verb_end, c_end)
                )
                introduces_quote = masked[a.verb_end : s_end].lstrip(" ,:").startswith("\x00")
                if (
                    right_clause is None
                    and a.verb not in SPEECH_PARTICIPLES
                    and not introduces_quote
                    and not _scene_setting(clause_before)
                    and before.rstrip().endswith(",")
                    and count_words(clause_before.replace("\x00", " ")) >= 3
                ):
                    if "\x00" in clause_before and not clause_before.replace("\x00", "").strip(
                        ' ,"'
                    ):
                        continue
                    inner = [(x, y) for x, y in sent_spans if y <= min(a.subj_start, a.verb_start)]
                    if inner and not norm[s_start : inner[0][0]].strip():
                        # '"Quote," he said' with the quote first is direct, not reported
                        continue
                    ex.emit(
                        original[s_start : s_start + len(before.rstrip())],
                        paragraph,
                        "reported",
                        person,
                        a.subject,
                    )
                    absorbed.update(inner)
                    continue
                clause = right_clause
                if clause is None:
                    continue
                c_start = norm.find(clause, a.verb_end)
                # a quotation opening the clause is direct speech, unless the clause runs on
                # after it; one before it ('said on "Morning Desk" that ...') names a show
                opening = [
                    x
                    for x, _ in sent_spans
                    if a.verb_end <= x <= c_start + 1
                    and not norm[x:c_start].rstrip().endswith(" that")
                ]
                if opening and not quote_opens_clause(clause):
                    continue
                ex.emit(
                    original[c_start : c_start + len(clause)] if c_start >= 0 else clause,
                    paragraph,
                    "reported",
                    person,
                    a.subject,
                )
                absorbed.update((x, y) for x, y in sent_spans if a.verb_end <= x < c_end)

            for q_start, q_end in sent_spans:
                if (q_start, q_end) in absorbed:
                    continue
                text = original[q_start:q_end]
                attr = _attr_for_quote(masked, q_start, q_end, resolved)
                if attr is None:
                    pending.append((q_start, text))
                    para_quotes.append((q_start, text, None, None, False))
                    continue
                a, person, gap = attr
                if gap > 3 and count_words(text) < 4:
                    continue  # a scare-quoted phrase, not a quotation
                ex.emit(text, paragraph, "direct", person, a.subject)
                para_quotes.append((q_start, text, person, a.subject, True))

        # Quotes with no attribution in their own sentence take the paragraph's speaker,
        # or continue the previous paragraph's open quotation.
        attributed = [(pos, person, subj) for pos, _, person, subj, ok in para_quotes if ok]
        owners = {pos: person for pos, person, _ in attributed}
        credited = (
            credit if credit is not None and spans and credit[1] >= spans[-1][1] - 1 else None
        )
        for q_start, text in pending:
            if credited is not None:
                # '"...," ― Jane Doe': the credit closing the paragraph names the speaker
                ex.emit(text, paragraph, "direct", credited[0], None)
                owners[q_start] = credited[0]
                continue
            full_sentence = clean_quote(text)[-1:] in {".", "?", "!"} or text.rstrip(
                "\"\u201d\u2019' "
            ).endswith((".", "?", "!"))
            real = (count_words(text) >= 4 or full_sentence) and (
                not norm[:q_start].strip()
                or norm[:q_start].rstrip().endswith((".", ":", "?", "!", '"'))
            )
            if not real:
                continue
            prev = [x for x in attributed if x[0] < q_start]
            nxt = [x for x in attributed if x[0] > q_start]
            choice = prev[-1] if prev else (nxt[0] if nxt else None)
            if choice is None and not norm[:q_start].strip():
                if prev_open_speaker is not None and prev_open_speaker[0] and prev_open_speaker[1]:
                    ex.emit(text, paragraph, "direct", prev_open_speaker[1], None)
                    owners[q_start] = prev_open_speaker[1]
                    continue
                if (
                    prev_last_quote is not None
                    and prev_last_quote[1]
                    and prev_last_quote[0] is not None
                ):
                    ex.emit(text, paragraph, "direct", prev_last_quote[0], None)
                    owners[q_start] = prev_last_quote[0]
                    continue
            if choice is None and norm[:q_start].rstrip().endswith(":"):
                lead = norm[:q_start]
                clause_start = max(lead.rfind(". "), lead.rfind(", ")) + 2
                subject = parse_subject_at_start(lead[clause_start:]) if clause_start > 1 else None
                subject = subject or parse_subject_at_start(lead)
                person = ex.resolve(subject, base + q_start) if subject else None
                ex.emit(text, paragraph, "direct", person, subject)
                continue
            if choice is None:
                ex.emit(text, paragraph, "direct", None, None)
                if open_at_end and spans and q_start == spans[-1][0] and ex.unattributed:
                    awaiting.append(ex.unattributed[-1])  # may be claimed by the next paragraph
            else:
                ex.emit(text, paragraph, "direct", choice[1], choice[2])

        # An open quotation whose attribution only comes in the next paragraph.
        if awaiting and paragraph > awaiting[-1].paragraph:
            first = spans[0][0] if spans else None
            owner_of_first = owners.get(first) if first is not None else None
            if owner_of_first is not None and not norm[:first].strip():
                for quote in awaiting:
                    ex.unattributed.remove(quote)
                    owner_of_first.quotes.insert(
                        0
                        if not owner_of_first.quotes
                        else len(
                            [q for q in owner_of_first.quotes if q.paragraph < quote.paragraph]
                        ),
                        QuoteIn(
                            quote.text,
                            quote.paragraph,
                            "direct",
                            owner_of_first.role,
                            owner_of_first.affiliation,
                        ),
                    )
                awaiting = []
            elif not (open_at_end and spans):
                awaiting = []

        last_person = None
        last_quote_end = False
        if spans:
            last_span = spans[-1]
            owner = [x for x in para_quotes if x[0] == last_span[0]]
            speaker = ex.last_speaker
            if speaker is not None and any(
                q.paragraph == paragraph and q.kind == "direct" for q in speaker.quotes
            ):
                last_person = speaker
            if owner and owner[0][2] is not None:
                last_person = owner[0][2]
            tail = masked[last_span[1] :]
            last_quote_end = count_words(tail.replace("\x00", " ")) <= 6
        prev_open_speaker = (open_at_end, last_person) if spans else None
        prev_last_quote = (last_person, last_quote_end) if spans else None
        if not spans and norm.rstrip().endswith(":") and resolved and resolved[-1][1]:
            # "Jane Doe, 17, echoed:" then the quotation as the next paragraph
            prev_open_speaker = (True, resolved[-1][1])
    return ex.result()


# Words opening a subordinate clause at the start of a sentence: "After X said ..., Y said".
_SUBORDINATORS = wordset("after when as while before although though if since once because")


def _attr_for_quote(
    masked: str, q_start: int, q_end: int, resolved: list[tuple[Attr, Person | None]]
) -> tuple[Attr, Person | None, int] | None:
    """The attribution a quotation belongs to: right after it, right before it, else nearest."""
    if not resolved:
        return None
    best = None
    best_gap = None
    for a, person in resolved:
        lo = min(a.subj_start, a.verb_start)
        hi = max(a.subj_end, a.verb_end)
        if lo >= q_end:
            gap_text = masked[q_end:lo]
            blocked = "\x00" in gap_text  # another quotation lies between
            gap = 1000 + len(gap_text) if blocked else len(gap_text.strip(" ,.—–-"))
        elif hi <= q_start:
            gap_text = masked[hi:q_start]
            if "\x00" in gap_text:
                gap = 1000 + len(gap_text)
            else:
                stripped = gap_text.strip(" ,:.—–-")
                gap = 0 if stripped.lower() in {"", "that"} else len(stripped) + 1
        else:
            gap = 500
        if best_gap is None or gap < best_gap:
            best, best_gap = (a, person, gap), gap
    return best
