"""Reading a recipe file: find it (a path, or a shipped recipe's name), parse its TOML, and
read it into the typed records of :mod:`.model`, checked by :mod:`.rules`.

Every problem is a :class:`~.model.RecipeError` naming the file, the line and the place
(``r.toml, line 12: [[claim]] #3 ('p05-x'): check.op: 'x' is not one of >, <, …``).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from ..toml_schema import Context, Record
from .model import Recipe, RecipeError
from .rules import RULES

RECIPE = Record(Recipe)
ARRAYS = {"figure": "name", "table": "name", "claim": "id", "skip": "quote"}


def recipes_dir() -> Path | None:
    """The shipped recipes: inside the installed wheel, or the source checkout's recipes/."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "_recipes", here.parent / "recipes"):
        if candidate.is_dir():
            return candidate
    return None


def shipped_recipes() -> list[str]:
    root = recipes_dir()
    return sorted(p.stem for p in root.glob("*.toml")) if root else []


def resolve_recipe(arg: str | Path) -> Path:
    """A path as given, or the name of a shipped recipe ("forandringskraft-2021")."""
    path = Path(arg)
    if path.exists() or path.suffix or len(path.parts) > 1:
        return path
    root = recipes_dir()
    if root and (root / f"{arg}.toml").is_file():
        return root / f"{arg}.toml"
    return path


def parse_toml(path: Path) -> tuple[dict, bytes]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        shipped = shipped_recipes()
        hint = f"; shipped recipes: {', '.join(shipped)}" if shipped else ""
        raise RecipeError(f"recipe {str(path)!r} not found; give the path of a .toml recipe{hint}") from None
    except OSError as exc:
        raise RecipeError(f"cannot read recipe {str(path)!r}: {exc.strerror}") from None
    return parse_toml_bytes(path, raw), raw


def parse_toml_bytes(path: Path, raw: bytes) -> dict:
    """A recipe's bytes as a TOML document, or a RecipeError with the line and column."""
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise RecipeError(f"{path}: not UTF-8 text (byte {exc.start}); save the recipe as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        # tomllib puts the place in the message: "Invalid value (at line 2, column 5)".
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        if m:
            what = msg[: m.start()].strip()
            raise RecipeError(
                f"{path}, line {m.group(1)}, column {m.group(2)}: malformed TOML: {what}; fix the syntax there"
            ) from None
        raise RecipeError(f"{path}: malformed TOML: {msg}") from None


def load_recipe(path: str | Path) -> Recipe:
    """Read and check a recipe's shape; raises :class:`RecipeError` on the first problem."""
    from ..searchpath import beside

    path = resolve_recipe(path)
    beside(path)  # a recipe finds the datasets/ folder beside it (before the bundle)
    doc, raw = parse_toml(path)
    return recipe_from_doc(path, doc, raw)


def recipe_from_doc(path: Path, doc: Any, raw: bytes = b"") -> Recipe:
    """Read a parsed recipe document (what :func:`parse_toml` returns) into a :class:`Recipe`.

    Total: any document gives a :class:`Recipe` or a :class:`RecipeError`.
    """
    path = Path(path)
    ctx = Context(path, raw.decode("utf-8", "replace"), _error, place=_placer(doc), rules=RULES)
    recipe = RECIPE.read(doc, (), ctx)
    recipe.path, recipe.source_bytes = path, raw
    return recipe


def _error(path: Path, message: str, line: int | None) -> RecipeError:
    return RecipeError(f"{path}, line {line}: {message}" if line else f"{path}: {message}")


def _placer(doc: Any):
    """Where a key is, in the words a recipe's author uses: ``[[claim]] #3 ('p05-x'): check.op``."""

    def place(key: tuple[str, ...]) -> str:
        if not key:
            return "top level"
        head, rest = f"[{key[0]}]", key[1:]
        if key[0] in ARRAYS and len(key) > 1 and key[1].isdigit():
            n = int(key[1])
            items = doc.get(key[0]) if isinstance(doc, dict) else None
            item = items[n] if isinstance(items, list) and n < len(items) else None
            name = item.get(ARRAYS[key[0]]) if isinstance(item, dict) else None
            head = f"[[{key[0]}]] #{n + 1}" + (f" ({name!r})" if isinstance(name, str) and name else "")
            rest = key[2:]
        return head + (": " + ".".join(rest) if rest else "")

    return place
