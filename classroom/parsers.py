"""The API's JSON parser: DRF's, with bounds. A body is refused with a 400 (and a
message) when it is nested deeper than anything the API takes, holds a number too large
for any field (`1e309` is infinity; `"9" * 30` no column holds), or holds text that no
database stores (NUL, which PostgreSQL refuses, or a lone surrogate such as "\\ud800").

Configured for every view in settings.REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"].
"""

from __future__ import annotations

import codecs
import json
import math

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, get_encoding

from .inputs import MAX_ID, UNSTORABLE_MESSAGE, unstorable

# The API's deepest body is a list of objects in an object (an evaluation's levels);
# 32 leaves room and keeps Python's recursion (about 1000 deep) far away.
MAX_DEPTH = 32
# Digits of a number literal: an id (19 digits) with room for a sign and a fraction.
MAX_NUMBER_CHARS = 40


class RefusedJSON(ValueError):
    """JSON that parses but is out of bounds; `message` says why, in the user's language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _too_large():
    return RefusedJSON(_("A number in the data is too large."))


def _int(literal: str) -> int:
    # Checked by length first: int() of 5,000 digits is itself refused (and slow).
    if len(literal.lstrip("-")) > len(str(MAX_ID)):
        raise _too_large()
    value = int(literal)
    if abs(value) > MAX_ID:
        raise _too_large()
    return value


def _float(literal: str) -> float:
    if len(literal) > MAX_NUMBER_CHARS:
        raise _too_large()
    value = float(literal)
    # 1e309 is inf; 1e300 is finite but no field holds it either.
    if not math.isfinite(value) or abs(value) > MAX_ID:
        raise _too_large()
    return value


def _constant(name: str):
    # NaN, Infinity and -Infinity are not JSON (DRF's STRICT_JSON refuses them too).
    raise _too_large()


def check(data, max_depth: int = MAX_DEPTH) -> None:
    """Walk parsed data without recursion: its depth and every string (keys too)."""
    stack = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if unstorable(value):
                raise RefusedJSON(str(UNSTORABLE_MESSAGE))
            continue
        if isinstance(value, dict):
            items = list(value.keys()) + list(value.values())
        elif isinstance(value, list):
            items = value
        else:
            continue
        if depth >= max_depth:
            raise RefusedJSON(_("The data are nested too deeply."))
        stack.extend((item, depth + 1) for item in items)


def loads(text: str, max_depth: int = MAX_DEPTH):
    """`json.loads` within the bounds above: RefusedJSON when out of them, ValueError
    (json.JSONDecodeError) when it is no JSON at all. For any JSON from outside, a
    WebSocket frame too."""
    try:
        data = json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except RecursionError:
        # Deeper than Python's own limit (50,000 brackets): the same answer.
        raise RefusedJSON(_("The data are nested too deeply.")) from None
    check(data, max_depth)
    return data


class StrictJSONParser(JSONParser):
    """DRF's JSONParser with bounded depth, number size and storable text."""

    max_depth = MAX_DEPTH

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = get_encoding(parser_context or {})  # text charsets only (DRF's check)
        try:
            return loads(codecs.getreader(encoding)(stream).read(), self.max_depth)
        except RefusedJSON as refused:
            raise ParseError(refused.message) from None
        except ValueError as exc:  # not JSON, or not in the charset (as DRF answers)
            raise ParseError(f"JSON parse error - {exc}") from None
