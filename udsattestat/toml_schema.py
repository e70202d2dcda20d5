"""One declarative checker for the project's hand-written TOML files (``dataset.toml``, recipes).

A file's shape is declared once, as frozen dataclasses whose fields name, beside their
Python type, the TOML key's :class:`Spec` and a one-line meaning (:func:`key`).
:func:`Record.read` checks a parsed document against the declaration and returns the typed
objects, so no caller reads a raw dict. Every mistake is one error naming the file, the
line and the dotted key, with "did you mean" for a misspelt key.

Only the standard library, and nothing imported that a small command would not import
anyway: ``info`` and ``show`` read a ``dataset.toml`` at start-up (an in-house checker was
chosen over msgspec, cattrs and pydantic by their start-up cost: benchmarks/startup.py).
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from pathlib import Path
from typing import Any


class Spec:
    """A value's expected shape: ``read`` returns the value (typed) or raises through ``ctx.fail``."""

    def read(self, value: Any, path: tuple[str, ...], ctx: Context) -> Any:
        raise NotImplementedError

    def fits(self, value: Any) -> bool:
        """Whether ``value`` has this spec's TOML type (for :class:`AnyOf`)."""
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError


class Str(Spec):
    def __init__(self, pattern: str | None = None, choices: tuple[str, ...] | None = None, nonempty: bool = False,
                 regex: bool = False):
        self.pattern = pattern
        self.choices = choices
        self.nonempty = nonempty
        #: the text is itself a regular expression, which must compile
        self.regex = regex

    def read(self, value, path, ctx):
        if not isinstance(value, str):
            ctx.fail(path, f"expected text, found {kind(value)}")
        if self.nonempty and not value.strip():
            ctx.fail(path, "must not be empty")
        if self.choices and value not in self.choices:
            ctx.fail(path, f"{value!r} is not one of {', '.join(self.choices)}")
        if self.pattern and value and not re.fullmatch(self.pattern, value):
            ctx.fail(path, f"{value!r} does not have the expected form ({self.describe()})")
        if self.regex and value:
            try:
                re.compile(value)
            except re.error as exc:
                ctx.fail(path, f"{value!r} is not a valid regular expression ({exc})")
        return value

    def fits(self, value):
        return isinstance(value, str)

    def describe(self):
        if self.choices:
            return " | ".join(repr(c) for c in self.choices)
        return "text" + (f" like {self.pattern}" if self.pattern else "")


class Int(Spec):
    def __init__(self, minimum: int | None = None):
        self.minimum = minimum

    def read(self, value, path, ctx):
        if not self.fits(value):
            ctx.fail(path, f"expected a whole number, found {kind(value)}")
        if self.minimum is not None and value < self.minimum:
            ctx.fail(path, f"must be at least {self.minimum}")
        return value

    def fits(self, value):
        return isinstance(value, int) and not isinstance(value, bool)

    def describe(self):
        return "integer"


class Bool(Spec):
    def read(self, value, path, ctx):
        if not self.fits(value):
            ctx.fail(path, f"expected true or false, found {kind(value)}")
        return value

    def fits(self, value):
        return isinstance(value, bool)

    def describe(self):
        return "true/false"


class ListOf(Spec):
    def __init__(self, item: Spec, nonempty: bool = False):
        self.item = item
        self.nonempty = nonempty

    def read(self, value, path, ctx):
        if not isinstance(value, list):
            ctx.fail(path, f"expected a list, found {kind(value)}")
        if self.nonempty and not value:
            ctx.fail(path, "must not be an empty list")
        return [self.item.read(item, (*path, str(i)), ctx) for i, item in enumerate(value)]

    def fits(self, value):
        return isinstance(value, list)

    def describe(self):
        return f"list of {self.item.describe()}"


class AnyOf(Spec):
    """The first alternative whose type fits decides (a text, or a table)."""

    def __init__(self, *options: Spec):
        self.options = options

    def read(self, value, path, ctx):
        for option in self.options:
            if option.fits(value):
                return option.read(value, path, ctx)
        ctx.fail(path, f"expected {self.describe()}, found {kind(value)}")

    def fits(self, value):
        return any(o.fits(value) for o in self.options)

    def describe(self):
        return " or ".join(o.describe() for o in self.options)


class Key:
    """A TOML key's shape, its one-line meaning and whether it must be given."""

    __slots__ = ("spec", "doc", "required")

    def __init__(self, spec: Spec, doc: str, required: bool = False):
        self.spec, self.doc, self.required = spec, doc, required


class Table(Spec):
    """A TOML table with named keys, read as a dict of the keys given: unknown keys are
    errors (with a "did you mean"). :class:`Record` reads one into a dataclass instead."""

    def __init__(self, keys: dict[str, Key], *, nonempty: bool = False, name: str | None = None):
        self.keys = keys
        self.nonempty = nonempty
        #: a named shape is documented once, under its name (e.g. "da/en texts")
        self.name = name

    def read(self, value, path, ctx):
        if not isinstance(value, dict):
            ctx.fail(path, f"expected a table, found {kind(value)}")
        unknown_keys(value, self.keys, path, ctx)
        for name, k in self.keys.items():
            if name not in value and k.required:
                ctx.fail(path, f"missing required key {name!r} ({k.doc})")
        # in the file's order, as it was written
        return {name: self.keys[name].spec.read(v, (*path, name), ctx) for name, v in value.items()}

    def fits(self, value):
        return isinstance(value, dict)

    def describe(self):
        return self.name or "table"


class MapOf(Spec):
    """A table whose keys are ids (codes, source ids) and whose values all have one shape."""

    def __init__(self, value: Spec, *, nonempty: bool = False, key_pattern: str | None = None):
        self.value = value
        self.nonempty = nonempty
        self.key_pattern = key_pattern

    def read(self, value, path, ctx):
        if not isinstance(value, dict):
            ctx.fail(path, f"expected a table, found {kind(value)}")
        if self.nonempty and not value:
            ctx.fail(path, "must not be empty")
        out = {}
        for k, v in value.items():
            if self.key_pattern and not re.fullmatch(self.key_pattern, k):
                ctx.fail((*path, k), f"{k!r} is not a usable id (letters, digits, '-', '_', '.')")
            out[k] = self.value.read(v, (*path, k), ctx)
        return out

    def fits(self, value):
        return isinstance(value, dict)

    def describe(self):
        return f"table of {self.value.describe()}"


def key(spec: Spec, doc: str, *, required: bool = False, default: Any = None, toml: str | None = None):
    """A dataclass field that is a TOML key: its spec, its one-line meaning, whether it must
    be given, its value when left out (None: absent) and its TOML name when that is no
    Python name (``nested-durations``)."""
    meta = {"key": Key(spec, doc, required), "toml": toml}
    if required:
        return dataclasses.field(metadata=meta)
    if isinstance(default, (list, dict)):
        return dataclasses.field(default_factory=lambda: type(default)(default), metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


class Declared:
    """A record declared by :func:`key` fields, like a frozen dataclass but without the code a
    dataclass generates when its module is imported (a few ms per class, for start-up time:
    ``info`` and ``show`` import the dataset schema). Keyword construction, equality, repr."""

    __fields__: tuple[dataclasses.Field, ...] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        own = []
        for name, value in list(vars(cls).items()):
            if isinstance(value, dataclasses.Field):
                value.name = name
                own.append(value)
                delattr(cls, name)
        cls.__fields__ = (*cls.__fields__, *own)

    def __init__(self, **values):
        for f in self.__fields__:
            if f.name in values:
                value = values.pop(f.name)
            elif f.default is not dataclasses.MISSING:
                value = f.default
            elif f.default_factory is not dataclasses.MISSING:
                value = f.default_factory()
            else:
                raise TypeError(f"{type(self).__name__} needs {f.name!r}")
            object.__setattr__(self, f.name, value)
        if values:
            raise TypeError(f"{type(self).__name__} has no {', '.join(values)}")

    def __setattr__(self, name, value):
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __eq__(self, other):
        return type(self) is type(other) and all(getattr(self, f.name) == getattr(other, f.name)
                                                 for f in self.__fields__)

    __hash__ = None

    def __repr__(self):
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in self.__fields__)
        return f"{type(self).__name__}({shown})"


def fields_of(obj_or_cls) -> tuple[dataclasses.Field, ...]:
    """The declared fields of a :class:`Declared` record or a dataclass."""
    if isinstance(obj_or_cls, Declared) or (isinstance(obj_or_cls, type) and issubclass(obj_or_cls, Declared)):
        return obj_or_cls.__fields__
    return dataclasses.fields(obj_or_cls)


def is_record(obj) -> bool:
    return isinstance(obj, Declared) or (dataclasses.is_dataclass(obj) and not isinstance(obj, type))


class Record(Spec):
    """A TOML table read into a record (a :class:`Declared` or a dataclass) declared with
    :func:`key` fields.

    ``rules``: checks across keys, ``rules(obj, table, path, ctx)`` with the typed object and
    the table as written (to tell a key left out from one given its default); they may
    complete the object (a value that follows from others). Without ``rules`` here, the
    context's rules for the class apply (``Context(rules={cls: …})``): a file kind's reader
    brings the rules for the records its schema declares."""

    def __init__(self, cls: type, *, rules=None, name: str | None = None):
        self.cls = cls
        self.rules = rules
        self.name = name

    @property
    def keys(self) -> dict[str, Key]:
        """TOML name -> :class:`Key`, in declaration order."""
        return {toml: k for toml, (_, k) in self._fields().items()}

    def _fields(self) -> dict[str, tuple[str, Key]]:
        return {f.metadata.get("toml") or f.name: (f.name, f.metadata["key"])
                for f in fields_of(self.cls) if "key" in f.metadata}

    def read(self, value, path, ctx):
        if not isinstance(value, dict):
            ctx.fail(path, f"expected a table, found {kind(value)}")
        fields = self._fields()
        unknown_keys(value, fields, path, ctx)
        kwargs = {}
        for toml, (attr, k) in fields.items():
            if toml in value:
                kwargs[attr] = k.spec.read(value[toml], (*path, toml), ctx)
            elif k.required:
                ctx.fail(path, f"missing required key {toml!r} ({k.doc})")
        obj = self.cls(**kwargs)
        rules = self.rules or ctx.rules.get(self.cls)
        if rules:
            rules(obj, value, path, ctx)
        return obj

    def fits(self, value):
        return isinstance(value, dict)

    def describe(self):
        return self.name or "table"


def unknown_keys(value: dict, known, path: tuple[str, ...], ctx: Context) -> None:
    for name in value:
        if name not in known:
            close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(known)}"
            ctx.fail((*path, name), f"unknown key; {hint}")


def given(obj) -> Any:
    """A record as a TOML table again: the keys whose value is not the one a left-out key
    gets, records inside it as tables too. For what travels on as plain data (provenance)."""
    if is_record(obj):
        out = {}
        for f in fields_of(obj):
            v = getattr(obj, f.name)
            if f.default is not dataclasses.MISSING and v == f.default:
                continue
            if f.default_factory is not dataclasses.MISSING and v == f.default_factory():
                continue
            out[f.metadata.get("toml") or f.name] = given(v)
        return out
    if isinstance(obj, dict):
        return {k: given(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [given(v) for v in obj]
    return obj


def kind(value) -> str:
    return {str: "text", int: "a number", float: "a number", bool: "true/false", list: "a list",
            dict: "a table"}.get(type(value), type(value).__name__)


# -- where a key is written -------------------------------------------------------------


class Context:
    """The file being read: ``fail`` raises ``error(path, message, line)`` for a key.

    ``place`` says where a key is in words (default: dotted, ``statbank.dimensions.age``);
    ``rules``: a record class's checks across keys (see :class:`Record`)."""

    def __init__(self, path: Path, text: str, error, *, place=None, rules: dict | None = None):
        self.path = Path(path)
        self.lines = text.splitlines()
        self.error = error
        self.place = place or (lambda key: ".".join(key) or "(top level)")
        self.rules = rules or {}

    def fail(self, key: tuple[str, ...], message: str):
        raise self.error(self.path, f"{self.place(key)}: {message}", line_of(self.lines, key))


def line_of(lines: list[str], key: tuple[str, ...]) -> int | None:
    """The line where ``key`` is written: its ``[table]`` header or its ``name =``."""
    start, rest = 0, list(key)
    for n in range(len(key), 0, -1):
        header = r"\.".join(rf'\s*"?{re.escape(k)}"?\s*' for k in key[:n])
        pattern = re.compile(rf"^\s*\[{header}\]")
        hit = next((i for i, line in enumerate(lines) if pattern.match(line)), None)
        if hit is not None:
            start, rest = hit, list(key[n:])
            break
        # an array of tables: [[claim]] written once per item; item n is the n-th header
        if n < len(key) and key[n].isdigit():
            pattern = re.compile(rf"^\s*\[\[{header}\]\]")
            hits = [i for i, line in enumerate(lines) if pattern.match(line)]
            if int(key[n]) < len(hits):
                start, rest = hits[int(key[n])], list(key[n + 1:])
                break
    for k in rest:
        if k.isdigit():  # a list index: stay on the list's line
            continue
        pattern = re.compile(rf'(^|[{{,\s])"?{re.escape(k)}"?\s*=')
        hit = next((i for i in range(start, len(lines)) if pattern.search(_code(lines[i]))), None)
        if hit is None:
            break
        start = hit
    return start + 1 if lines else None


def _code(line: str) -> str:
    """A line without its comment (a '#' outside quotes)."""
    out, quote = [], None
    for ch in line:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            break
        out.append(ch)
    return "".join(out)
