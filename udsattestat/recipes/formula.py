"""The arithmetic of a ``stated`` claim: "share / 100 * children", on the report's own numbers.

A recipe is data, never code: the formula is parsed with :mod:`ast` and only numbers, the
claim's own names, + − × ÷, parentheses and ``between(a, b)`` are accepted; nothing is ever
``eval``-ed. ``between(a, b)`` is every value from the smaller to the larger of a and b: a
total of two groups (women and men) lies between the groups' shares, whatever their sizes.
Each name stands for the interval its precision gives ("ca. 60.000" to the nearest 5,000
is 57,500–62,500), so the result is an interval containing every value the stated
figures allow (interval arithmetic, :mod:`.spans`).
"""

from __future__ import annotations

import ast

from .spans import Span


class FormulaError(ValueError):
    """A formula that is not plain arithmetic on the claim's numbers."""


_OPS = {ast.Add: "__add__", ast.Sub: "__sub__", ast.Mult: "__mul__", ast.Div: "__truediv__"}
_FUNCTIONS = {"between": lambda a, b: Span(min(a.lo, b.lo), max(a.hi, b.hi))}


def parse_formula(text: str, names: set[str]) -> ast.expr:
    """The checked syntax tree of ``text``; raises :class:`FormulaError` on anything else."""
    try:
        tree = ast.parse(text, mode="eval").body
    except SyntaxError:
        raise FormulaError(f"{text!r} is not an arithmetic expression") from None
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if node.id in _FUNCTIONS and node.id not in names:
                continue
            if node.id not in names:
                raise FormulaError(f"unknown name {node.id!r}; the claim's numbers are: {', '.join(sorted(names))}")
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                raise FormulaError(f"only numbers may appear as constants, not {node.value!r}")
        elif isinstance(node, ast.BinOp):
            if type(node.op) not in _OPS:
                raise FormulaError("only +, -, * and / are allowed")
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, ast.USub):
                raise FormulaError("only a leading - is allowed")
        elif isinstance(node, ast.Call):
            if not (isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS and len(node.args) == 2
                    and not node.keywords):
                raise FormulaError("the only function is between(a, b)")
        elif not isinstance(node, (ast.Load, ast.operator, ast.unaryop)):
            raise FormulaError(f"{type(node).__name__.lower()} is not allowed; only + - * / on numbers and names")
    return tree


def evaluate_formula(text: str, values: dict[str, Span]) -> Span:
    """The interval of ``text`` with each name standing for its span."""
    def ev(node) -> Span:
        if isinstance(node, ast.Name):
            return values[node.id]
        if isinstance(node, ast.Constant):
            return Span.of(node.value)
        if isinstance(node, ast.UnaryOp):
            return ev(node.operand).scale(-1.0)
        if isinstance(node, ast.Call):
            return _FUNCTIONS[node.func.id](*(ev(a) for a in node.args))
        return getattr(ev(node.left), _OPS[type(node.op)])(ev(node.right))

    return ev(parse_formula(text, set(values)))
