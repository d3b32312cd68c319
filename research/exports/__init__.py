"""Pseudonymised, streamed research exports.

What a study's export holds, for the pupils whose consent is `given` at the moment of the
export (so a withdrawal counts for every later export):

- `events`: usage events; `entries`: logbook entries; `assessments`: self- and teacher
  assessments; `quadrant`: each lesson's intended and enacted position (enacted from the
  consenting pupils only). As CSV or JSON Lines, and the events also as xAPI 1.0.3.
- `codebook.csv` (every column: meaning, type, allowed values) and `README.md` (the
  study's settings).

Pupils, teachers, groups and lessons appear only as pseudonyms: HMAC-SHA256 under the
study's own key (stored on the server, never exported), so one pupil has one pseudonym
within a study and unlinkable ones across studies. No names, usernames, database ids or
photos; free text only when the study asks for it. Rows are read with database cursors
in chunks and written as they are read: memory stays flat however many rows there are.

The modules:

- `columns`: the Column spec of every dataset, and the codebook made from it;
- `pseudonyms`: the study's HMAC pseudonyms;
- `datasets`: `Export`, the row generators (each row a dict keyed by column name);
- `writers`: CSV and JSON Lines, in the column order of the spec;
- `xapi`: the events as xAPI 1.0.3 statements;
- `archive`: README.md, codebook.csv, the files of a format, the zip stream.
"""

from .archive import FORMATS, filename, zip_stream
from .columns import COLUMNS, FREE_TEXT, Column, context_keys, verbs
from .datasets import CHUNK, Export
from .pseudonyms import PREFIX, Pseudonyms
from .writers import RowMismatch

__all__ = [
    "CHUNK",
    "COLUMNS",
    "FORMATS",
    "FREE_TEXT",
    "PREFIX",
    "Column",
    "Export",
    "Pseudonyms",
    "RowMismatch",
    "context_keys",
    "filename",
    "verbs",
    "zip_stream",
]
