"""Dutch is complete and compiled; English is available."""

from pathlib import Path

import polib
import pytest

from frontend.compile_messages import catalogues
from tests.conftest import choose_pupil, pages_by_role

LOCALE = Path(__file__).resolve().parents[1] / "frontend" / "locale"


@pytest.mark.parametrize("po_path", catalogues(), ids=lambda p: p.parts[-3])
def test_every_string_in_the_catalogue_is_translated(po_path):
    po = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated and not fuzzy, {"untranslated": untranslated, "fuzzy": fuzzy}


@pytest.mark.parametrize("po_path", catalogues(), ids=lambda p: p.parts[-3])
def test_the_compiled_catalogue_matches_the_source(po_path):
    source = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.pofile(str(po_path))}
    compiled = polib.mofile(str(po_path.with_suffix(".mo")))
    built = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in compiled if e.msgid}
    assert built == source, "run `make messages` (or python -m frontend.compile_messages)"


def test_dutch_is_there(client, db):
    assert "Ik ben een leerling" in client.get("/").content.decode()


def test_english_is_available(client, db):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "I am a pupil" in page and 'lang="en"' in page


def test_the_language_choice_sticks(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "I am a pupil" in client.get("/").content.decode()


# Words that never occur in a Dutch page unless an English string slipped through.
ENGLISH = {"the", "and", "your", "you", "with", "this", "for", "there", "yet", "from",
           "pupil", "pupils", "teacher", "lesson", "goals", "saved", "choose"}  # fmt: skip


def visible_words(html: str) -> set[str]:
    import re
    from html import unescape

    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    html = re.sub(r"<[^>]+>", " ", html)
    return set(re.findall(r"[a-z]+", unescape(html).lower()))


@pytest.mark.parametrize("persona", ["pupil", "teacher", "school_admin", "anonymous"])
def test_no_english_on_a_dutch_page(world, client, persona):
    """Every page a role sees, in Dutch, has no English words in its visible text (the
    scripts' texts are checked through the catalogue: they are in ui_texts)."""
    if persona != "anonymous":
        client.force_login(world.user(persona))
    else:
        choose_pupil(client, world.pupil)  # for the picture-code page
    found = {}
    for url in pages_by_role(world)[persona]:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="nl")
        assert response.status_code == 200, url
        english = visible_words(response.content.decode()) & ENGLISH
        if english:
            found[url] = sorted(english)
    assert found == {}


def test_the_check_finds_english():
    assert visible_words("<p>Choose your goals</p><script>the</script>") & ENGLISH == {
        "choose",
        "your",
        "goals",
    }
