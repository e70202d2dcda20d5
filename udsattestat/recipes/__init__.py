"""Recipes: rebuild a report's figures and tables from one TOML file and check its claims.

    >>> from udsattestat.recipes import build, verify
    >>> result = build("recipes/forandringskraft-2021.toml", "out/forandringskraft-2021")
    >>> [r.verdict for r in result.results]

The format is documented in docs/recipes.md; the build in docs/build.md.
"""

from .build import BuildResult, build, check, default_out, verify
from .model import Recipe, RecipeError
from .reader import load_recipe

__all__ = ["BuildResult", "Recipe", "RecipeError", "build", "check", "default_out", "load_recipe", "verify"]
