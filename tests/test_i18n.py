"""Dutch is complete and compiled; English is available."""

from pathlib import Path

import polib
import pytest

from frontend.compile_messages import catalogues

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
