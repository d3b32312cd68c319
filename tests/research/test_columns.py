"""The codebook and the files cannot drift: every dataset, in every format, is written
with exactly the codebook's columns in the codebook's order, and a row whose keys differ
from its dataset's column spec is refused rather than written with shifted columns."""

import csv
import io
import json
import zipfile

import pytest

from research.exports import COLUMNS, Column, Export, RowMismatch, zip_stream
from research.exports.columns import columns
from research.exports.writers import csv_chunks, jsonl_chunks
from research.models import Dataset
from tests.research.test_export import school  # noqa: F401


def codebook_columns(files) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for row in csv.DictReader(io.StringIO(files["codebook.csv"])):
        dataset, _dot, _fmt = row["file"].partition(".")
        if dataset in Dataset.values and row["file"] != "events.verb" and _fmt != "context":
            found.setdefault(dataset, []).append(row["column"])
    return found


def unzip(study, fmt):
    archive = zipfile.ZipFile(io.BytesIO(b"".join(zip_stream(Export(study), fmt))))
    return {name: archive.read(name).decode() for name in archive.namelist()}


@pytest.mark.parametrize("free_text", [False, True])
@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_every_file_has_exactly_the_codebook_columns(school, fmt, free_text):  # noqa: F811
    study = school["study"]
    study.include_free_text = free_text
    study.save()
    files = unzip(study, fmt)
    codebook = codebook_columns(files)
    assert set(codebook) == set(study.datasets) == set(Dataset.values)
    for dataset in study.datasets:
        expected = codebook[dataset]
        assert expected == [c.name for c in Export(study).columns(dataset)]
        text = files[f"{dataset}.{fmt}"]
        if fmt == "csv":
            header, *body = list(csv.reader(io.StringIO(text)))
            assert header == expected, dataset
            assert all(len(row) == len(expected) for row in body), dataset
        else:
            lines = text.splitlines()
            assert lines, dataset
            for line in lines:
                assert list(json.loads(line)) == expected, dataset
    # Every dataset has at least one row here, so the rows were checked, not just a header.
    assert all(files[f"{d}.{fmt}"].count("\n") >= (2 if fmt == "csv" else 1) for d in codebook)


@pytest.mark.parametrize("free_text", [False, True])
def test_every_row_dict_has_exactly_the_spec_keys_in_order(school, free_text):  # noqa: F811
    study = school["study"]
    study.include_free_text = free_text
    study.save()
    export = Export(study)
    for dataset in Dataset.values:
        names = [c.name for c in export.columns(dataset)]
        rows = list(export.rows(dataset))
        assert rows, dataset
        assert all(list(row) == names for row in rows), dataset


SPEC = [Column("row", "integer", "row number"), Column("a", "text", "a")]


@pytest.mark.parametrize(
    "row",
    [
        {"row": 1},  # a spec key missing
        {"row": 1, "a": "x", "b": "y"},  # a key the spec lacks
        {"row": 1, "b": "y"},  # one of each, same length
    ],
)
@pytest.mark.parametrize("writer", ["csv", "jsonl"])
def test_a_row_that_differs_from_the_spec_raises(row, writer):
    good = {"row": 0, "a": "ok"}
    if writer == "csv":
        chunks = csv_chunks(SPEC, [good, row], lambda n: None)
    else:
        chunks = jsonl_chunks(SPEC, [good, row])
    with pytest.raises(RowMismatch):
        b"".join(chunks)


def test_a_row_in_another_key_order_is_written_in_the_spec_order():
    data = b"".join(csv_chunks(SPEC, [{"a": "x", "row": 1}], lambda n: None)).decode()
    assert data.splitlines() == ["row,a", "1,x"]
    line = b"".join(jsonl_chunks(SPEC, [{"a": "x", "row": 1}])).decode()
    assert list(json.loads(line)) == ["row", "a"]


def test_the_spec_names_are_unique():
    for dataset in COLUMNS:
        names = [c.name for c in columns(dataset, free_text=True)]
        assert len(names) == len(set(names)), dataset
