"""Names out of free text: every name a school holds, found in any text and replaced.

Used by the research exports (free text, goal codes), by the observations researchers
read, and by erasure (an erased pupil's name out of classmates' and teachers' words).

How a name is found:

- case-insensitively and without accents ("zoe" finds "Zoë", "SEM" finds "Sem");
- as whole words ("Sem" is not found in "Semester"), a name of several words also
  across spaces, hyphens and apostrophes ("Anne Marie" finds "Anne-Marie");
- every part of a name on its own too ("Anne-Marie de Vries-Bakker" gives "Anne", "Marie",
  "Vries", "Bakker" and the longer runs), except particles ("de", "van der") and parts
  of one letter;
- names in scripts written without spaces (Chinese, Japanese, Thai) and emoji, as plain
  substrings.

Names that are also words ("Roos", "Bas", "Sterre") are replaced wherever they occur:
a word too many lost is the price of no name left. Names the school does not hold (a
parent, a neighbour) cannot be found; free text stays off in a study unless it needs it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

# Tussenvoegsels and other particles: words, not names, on their own.
PARTICLES = frozenset(
    [
        "van",
        "de",
        "der",
        "den",
        "het",
        "ten",
        "ter",
        "te",
        "'t",
        "op",
        "in",
        "la",
        "le",
        "el",
        "al",
        "da",
        "di",
        "du",
        "des",
        "von",
        "zu",
        "bin",
        "ben",
        "ibn",
        "abu",
        "bint",
        "y",
        "e",
        "o",
    ]
)
# Longest run of words a name can have.
MAX_WORDS = 6
_WORD = re.compile(r"\w+")
# What may stand between the words of one name in a text.
_JOIN = re.compile(r"[\s\-'’.]{1,3}")


def fold(text: str) -> tuple[str, list[int]]:
    """`text` lower-cased without accents, and for every folded character the index of
    the character it came from (plus one past the end)."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if unicodedata.combining(ch):
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
        ).casefold()
        for c in base or ch:
            out.append(c)
            index.append(i)
    index.append(len(text))
    return "".join(out), index


def _unspaced(text: str) -> bool:
    """Written without spaces between words (CJK, Thai...), or no letters at all (emoji)."""
    if not _WORD.search(text):
        return True
    for ch in text:
        name = unicodedata.name(ch, "")
        if name.startswith(("CJK", "HIRAGANA", "KATAKANA", "THAI", "HANGUL", "LAO", "KHMER")):
            return True
    return False


def variants(name: str) -> set[str]:
    """The name and every run of its words that can name the person alone."""
    name = " ".join(name.split())
    if not name:
        return set()
    found = {name}
    words = [w for w in re.split(r"[\s\-]+", name) if w]
    for start in range(len(words)):
        for end in range(start + 1, min(len(words), start + MAX_WORDS) + 1):
            run = words[start:end]
            if all(w.casefold().strip("'’.") in PARTICLES for w in run):
                continue
            if run[0].casefold() in PARTICLES and end - start == 1:
                continue
            text = " ".join(run)
            if len(text.strip("'’.")) < 2 and not _unspaced(text):
                continue
            found.add(text)
    return found


@dataclass
class Scrubber:
    """Replaces every name it was given, as described above. Build it once per export:
    finding names is then one pass over each text."""

    # folded word tuple -> replacement
    _words: dict[tuple[str, ...], str] = field(default_factory=dict)
    # folded unspaced text -> replacement
    _plain: dict[str, str] = field(default_factory=dict)
    _plain_pattern: re.Pattern | None = None
    _longest: int = 1

    def add(self, name: str, replacement: str, *, parts: bool = True) -> None:
        """Replace `name` (and, with `parts`, each of its parts) by `replacement`. A text
        that two people share gets the more general replacement `[naam]` unless both
        replacements agree."""
        for text in variants(name) if parts else {" ".join(name.split())}:
            if not text:
                continue
            folded, _index = fold(text)
            if _unspaced(text):
                self._put(self._plain, folded, replacement)
                self._plain_pattern = None
            else:
                key = tuple(_WORD.findall(folded))
                if key:
                    self._put(self._words, key, replacement)
                    self._longest = max(self._longest, len(key))

    @staticmethod
    def _put(table: dict, key, replacement: str) -> None:
        old = table.get(key)
        if old is None or old == replacement:
            table[key] = replacement
        elif old.startswith("[") and old == replacement:
            table[key] = old
        else:
            table[key] = _shared(old, replacement)

    def __bool__(self) -> bool:
        return bool(self._words or self._plain)

    def __call__(self, text: str) -> str:
        if not text or not self:
            return text
        folded, index = fold(text)
        spans: list[tuple[int, int, str]] = []
        words = list(_WORD.finditer(folded))
        i = 0
        while i < len(words):
            match = None
            for n in range(min(self._longest, len(words) - i), 0, -1):
                run = words[i : i + n]
                if any(
                    not _JOIN.fullmatch(folded[a.end() : b.start()])
                    for a, b in zip(run, run[1:], strict=False)
                ):
                    continue
                replacement = self._words.get(tuple(w.group() for w in run))
                if replacement is not None:
                    match = (run[0].start(), run[-1].end(), replacement, n)
                    break
            if match:
                spans.append(match[:3])
                i += match[3]
            else:
                i += 1
        if self._plain:
            if self._plain_pattern is None:
                alternatives = sorted(self._plain, key=len, reverse=True)
                self._plain_pattern = re.compile("|".join(map(re.escape, alternatives)))
            for m in self._plain_pattern.finditer(folded):
                if not any(a < m.end() and m.start() < b for a, b, _r in spans):
                    spans.append((m.start(), m.end(), self._plain[m.group()]))
        if not spans:
            return text
        out: list[str] = []
        last = 0
        for start, end, replacement in sorted(spans):
            begin, finish = index[start], index[end - 1] + 1
            while finish < len(text) and unicodedata.combining(text[finish]):
                finish += 1
            if begin < last:
                continue
            out.append(text[last:begin])
            out.append(replacement)
            last = finish
        out.append(text[last:])
        return "".join(out)


def _shared(a: str, b: str) -> str:
    if a.startswith("[leerling") and b.startswith(("p_", "[leerling")):
        return "[leerling]"
    if b.startswith("[leerling") and a.startswith(("p_", "[leerling")):
        return "[leerling]"
    if a.startswith("p_") and b.startswith("p_"):
        return "[leerling]"
    return "[naam]"


PUPIL, STAFF, GROUP, SCHOOL, PLACE, ACTIVITY = (
    "[leerling]",
    "[leerkracht]",
    "[groep]",
    "[school]",
    "[plek]",
    "[activiteit]",
)


def for_schools(school_ids: Iterable[int], *, pupil_label=None, extra_staff=()) -> Scrubber:
    """A scrubber for every name the schools hold: pupils (display name, its parts, the
    username), staff (first, last and full name, username), groups, the school's name
    and city, places and planbord activities. `pupil_label(pupil_id)` gives a pupil's
    replacement (the study's pseudonym of a consenting pupil); `[leerling]` otherwise.
    `extra_staff` adds users outside the schools (a study's researchers)."""
    from django.contrib.auth import get_user_model

    from classroom.models import Group, Membership, Place, Pupil, School
    from planboard.models import Activity

    school_ids = list(school_ids)
    scrub = Scrubber()
    User = get_user_model()
    # Places and activities first: a pupil or teacher sharing a word wins over a label.
    for name in Place.objects.filter(group__school_id__in=school_ids).values_list(
        "name", flat=True
    ):
        scrub.add(name, PLACE, parts=False)
    for name in Activity.objects.filter(group__school_id__in=school_ids).values_list(
        "name", flat=True
    ):
        scrub.add(name, ACTIVITY, parts=False)
    for name in Group.objects.filter(school_id__in=school_ids).values_list("name", flat=True):
        scrub.add(name, GROUP, parts=False)
    for name, city in School.objects.filter(pk__in=school_ids).values_list("name", "city"):
        scrub.add(name, SCHOOL, parts=False)
        if city:
            scrub.add(city, SCHOOL, parts=False)
    staff_ids = set(
        Membership.objects.filter(school_id__in=school_ids).values_list("user_id", flat=True)
    )
    staff_ids |= {u.pk for u in extra_staff}
    for first, last, username in User.objects.filter(pk__in=staff_ids).values_list(
        "first_name", "last_name", "username"
    ):
        for text in (first, last, f"{first} {last}"):
            scrub.add(text, STAFF)
        scrub.add(username, STAFF, parts=False)
    for pk, name, username in Pupil.objects.filter(group__school_id__in=school_ids).values_list(
        "pk", "display_name", "user__username"
    ):
        label = (pupil_label(pk) if pupil_label else None) or PUPIL
        scrub.add(name, label)
        scrub.add(username, label, parts=False)
    return scrub


def for_pupil(pupil) -> Scrubber:
    """A scrubber for one pupil's names (for their erasure)."""
    scrub = Scrubber()
    scrub.add(pupil.display_name, PUPIL)
    scrub.add(pupil.user.username, PUPIL, parts=False)
    return scrub
