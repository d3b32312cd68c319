"""Checking a value against a typed shape: the contract of every realtime message and of
every usage verb's context is a `TypedDict`, and this is how code and tests hold them to it.

Supported: TypedDict (required and `NotRequired` keys, no keys beyond the declared ones),
`Annotated` (its metadata is ignored here), `X | None`, `Literal`, `list[X]`, `dict[K, V]`,
`str`, `int` (not `bool`), `float` (an `int` too), `bool` and `Any`.
"""

from __future__ import annotations

import functools
import types
import typing
from typing import Annotated, Any, Literal, Union, get_args, get_origin, get_type_hints


class ShapeError(ValueError):
    pass


def is_typeddict(tp) -> bool:
    return isinstance(tp, type) and issubclass(tp, dict) and hasattr(tp, "__required_keys__")


@functools.cache
def fields(td) -> dict[str, Any]:
    """The keys of a TypedDict with their types, `Annotated` metadata kept and
    `NotRequired` taken off (the TypedDict's `__required_keys__` says which are required)."""
    out = {}
    for name, tp in get_type_hints(td, include_extras=True).items():
        while get_origin(tp) in (typing.NotRequired, typing.Required):
            tp = get_args(tp)[0]
        out[name] = tp
    return out


def check(value, tp, path: str = "$") -> None:
    """Raise ShapeError naming the first place where `value` does not fit `tp`."""
    if tp is Any:
        return
    origin = get_origin(tp)
    if origin is Annotated:
        return check(value, get_args(tp)[0], path)
    if origin in (typing.NotRequired, typing.Required):
        return check(value, get_args(tp)[0], path)
    if origin in (Union, types.UnionType):
        errors = []
        for option in get_args(tp):
            try:
                return check(value, option, path)
            except ShapeError as error:
                errors.append(str(error))
        raise ShapeError("; ".join(errors))
    if origin is Literal:
        if not any(value == a and type(value) is type(a) for a in get_args(tp)):
            raise ShapeError(f"{path}: {value!r} is not one of {get_args(tp)}")
        return
    if origin is list:
        if not isinstance(value, list):
            raise ShapeError(f"{path}: expected a list, got {type(value).__name__}")
        (item,) = get_args(tp) or (Any,)
        for i, element in enumerate(value):
            check(element, item, f"{path}[{i}]")
        return
    if origin is dict:
        if not isinstance(value, dict):
            raise ShapeError(f"{path}: expected an object, got {type(value).__name__}")
        key_tp, value_tp = get_args(tp) or (Any, Any)
        for key, element in value.items():
            check(key, key_tp, f"{path} key")
            check(element, value_tp, f"{path}.{key}")
        return
    if is_typeddict(tp):
        if not isinstance(value, dict):
            raise ShapeError(f"{path}: expected an object, got {type(value).__name__}")
        declared = fields(tp)
        extra = set(value) - set(declared)
        if extra:
            raise ShapeError(f"{path}: undeclared keys {sorted(extra)}")
        missing = set(tp.__required_keys__) - set(value)
        if missing:
            raise ShapeError(f"{path}: missing keys {sorted(missing)}")
        for key, element in value.items():
            check(element, declared[key], f"{path}.{key}")
        return
    if tp is type(None):
        if value is not None:
            raise ShapeError(f"{path}: expected null, got {value!r}")
        return
    if tp is bool:
        if not isinstance(value, bool):
            raise ShapeError(f"{path}: expected a boolean, got {value!r}")
        return
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ShapeError(f"{path}: expected an integer, got {value!r}")
        return
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ShapeError(f"{path}: expected a number, got {value!r}")
        return
    if tp is str:
        if not isinstance(value, str):
            raise ShapeError(f"{path}: expected text, got {value!r}")
        return
    raise TypeError(f"{path}: shape {tp!r} is not supported")


TYPE_NAMES = {str: "text", int: "integer", float: "number", bool: "boolean", type(None): "null"}


def describe(tp) -> str:
    """A short name for a type, for codebooks and docs ("text", "list of text or null")."""
    origin = get_origin(tp)
    if origin in (Annotated, typing.NotRequired, typing.Required):
        return describe(get_args(tp)[0])
    if origin in (Union, types.UnionType):
        return " or ".join(describe(option) for option in get_args(tp))
    if origin is Literal:
        return "one of " + ", ".join(str(a) for a in get_args(tp))
    if origin is list:
        return "list of " + describe(get_args(tp)[0])
    if origin is dict or is_typeddict(tp):
        return "object"
    return TYPE_NAMES.get(tp, getattr(tp, "__name__", str(tp)))
