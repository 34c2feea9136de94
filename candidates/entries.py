"""Education and experience entries: the schools and positions a document states, each with
its dates and a verbatim citation of the lines it was read from."""

from __future__ import annotations

from retrieval.types import (DocumentProfile, EducationEntry, ExperienceEntry, Location,
                             ParsedDocument, Passage)


def read_entries(doc: ParsedDocument, passages: list[Passage]) -> tuple[
        list[EducationEntry], list[ExperienceEntry], Location | None]:
    """The document's education[], experience[] and location, in document order."""
    return [], [], None


def combine(profiles: list[DocumentProfile]) -> tuple[
        list[EducationEntry], list[ExperienceEntry], Location | None]:
    """One person's entries over all their documents: the same school or employer with the same
    start stated twice is one entry (the first document's citation is kept)."""
    education: dict[tuple, EducationEntry] = {}
    experience: dict[tuple, ExperienceEntry] = {}
    for profile in profiles:
        for e in profile.education:
            education.setdefault((e.school.casefold(), e.degree, e.start), e)
        for x in profile.experience:
            experience.setdefault((x.employer.casefold(), x.title, x.start), x)
    location = next((p.location for p in profiles if p.location), None)
    return list(education.values()), list(experience.values()), location
