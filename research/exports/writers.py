"""CSV and JSON Lines: each row is a dict keyed by column name, written in the order of
the dataset's column spec (columns.py). A row with a key the spec lacks, or without one
of the spec's keys, raises `RowMismatch` rather than shifting a column."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from operator import itemgetter

from .columns import Column


class RowMismatch(ValueError):
    """A row's keys are not the dataset's columns."""


class Ordered:
    """A dataset's rows as value tuples in column order, every row's keys checked against
    the spec. The checks run at C speed (map, itemgetter): cheap for a million rows."""

    def __init__(self, spec: list[Column]):
        self.names = [c.name for c in spec]
        self.count = len(self.names)
        self.get = itemgetter(*self.names) if self.count > 1 else self._single

    def _single(self, row: dict) -> tuple:
        return (row[self.names[0]],)

    def _mismatch(self, rows: list[dict]) -> RowMismatch:
        wrong = next(r for r in rows if set(r) != set(self.names))
        missing = [n for n in self.names if n not in wrong]
        extra = [k for k in wrong if k not in self.names]
        return RowMismatch(f"row keys differ from the columns: missing {missing}, extra {extra}")

    def one(self, row: dict) -> tuple:
        if len(row) != self.count:
            raise self._mismatch([row])
        try:
            return self.get(row)
        except KeyError:
            raise self._mismatch([row]) from None

    def write(self, writer, rows: list[dict]) -> None:
        """`writer.writerows` of the rows' values."""
        if any(n != self.count for n in set(map(len, rows))):
            raise self._mismatch(rows)
        try:
            writer.writerows(map(self.get, rows))
        except KeyError:
            raise self._mismatch(rows) from None


def csv_chunks(
    spec: list[Column], rows: Iterable[dict], on_written: Callable[[int], None]
) -> Iterator[bytes]:
    """UTF-8 CSV, header first, 500 rows per chunk; `on_written(n)` after every batch."""
    ordered = Ordered(spec)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(ordered.names)
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) == 500:
            ordered.write(writer, batch)
            on_written(len(batch))
            batch.clear()
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    ordered.write(writer, batch)
    on_written(len(batch))
    yield buffer.getvalue().encode()


# Typed columns in JSON Lines: the texts CSV writes, as JSON values (codebook: WRITTEN).
JSON_VALUES = {
    "boolean": {"true": True, "false": False, "": None},
    "integer": {"": None},
    "number 0-1": {"": None},
}


def jsonl_chunks(
    spec: list[Column], rows: Iterable[dict], json_columns: frozenset[str] = frozenset()
) -> Iterator[bytes]:
    """One JSON object per row, keys in column order, 200 rows per chunk. The values of
    `json_columns` are JSON text in the row and nested objects in the file."""
    ordered = Ordered(spec)
    typed = [(c.name, JSON_VALUES[c.type]) for c in spec if c.type in JSON_VALUES]
    lines = []
    for row in rows:
        record = dict(zip(ordered.names, ordered.one(row), strict=True))
        for name in json_columns:
            record[name] = json.loads(record[name])
        for name, values in typed:
            value = record[name]
            if isinstance(value, str):
                record[name] = values.get(value, value)
        lines.append(json.dumps(record, ensure_ascii=False, default=str))
        if len(lines) == 200:
            yield ("\n".join(lines) + "\n").encode()
            lines = []
    if lines:
        yield ("\n".join(lines) + "\n").encode()
