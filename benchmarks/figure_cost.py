"""Where one figure's time goes: layout (fit_axes), SVG and PNG writing, PNG encoding alone.

    python benchmarks/figure_cost.py [--repeat 3]

Draws the seed recipe's figures (recipes/forandringskraft-2021.toml) and reports CPU
seconds per step, summed over the figures, best of ``--repeat``. PNG encoding is measured
apart from drawing: the Agg canvas is drawn once, then its pixels are encoded with Pillow
at the compress level matplotlib uses (6) and at the alternatives.
"""

from __future__ import annotations

import argparse
import io
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cpu() -> float:
    return time.process_time()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import matplotlib.pyplot as plt
    from PIL import Image

    from udsattestat import charts
    from udsattestat.recipes.data import RecipeData
    from udsattestat.recipes.reader import load_recipe
    from udsattestat.recipes.validate import check_figures

    recipe = load_recipe(ROOT / "recipes" / "forandringskraft-2021.toml")
    data = RecipeData(lang=recipe.report.language)
    # the rows each figure draws, selected as a build selects them
    selected = check_figures(recipe, data)
    inputs = [(fig, selected[fig.name].frame, selected[fig.name].prov) for fig in recipe.figures]

    best: dict[str, float] = {}
    sizes: dict[str, int] = {}
    tmp = Path("/tmp") / "udsattestat-figure-cost"
    tmp.mkdir(exist_ok=True)
    for _ in range(args.repeat):
        steps = dict.fromkeys(("render (draw + layout)", "save svg", "save png", "  of which PNG encoding (level 6)",
                               "  PNG encoding at level 1", "  PNG encoding at level 9"), 0.0)
        for fig, frame, prov in inputs:
            opts = fig.options
            t = cpu()
            drawing = charts.render(fig.kind, frame, prov, lang="da", title=fig.title.get("da") or None,
                                    subtitle=fig.subtitle.get("da") or None, series=opts.get("series"),
                                    highlight=opts.get("highlight"), base_period=opts.get("base_period"),
                                    notes=tuple(opts.get("notes", {}).get("da", ())),
                                    size=tuple(opts["size"]) if "size" in opts else None)
            steps["render (draw + layout)"] += cpu() - t
            for ext in ("svg", "png"):
                t = cpu()
                charts.save(drawing, tmp / f"{fig.name}.{ext}")
                steps[f"save {ext}"] += cpu() - t
            rgba = Image.open(tmp / f"{fig.name}.png").convert("RGBA")
            for level, label in ((6, "  of which PNG encoding (level 6)"), (1, "  PNG encoding at level 1"),
                                 (9, "  PNG encoding at level 9")):
                buf = io.BytesIO()
                t = cpu()
                rgba.save(buf, format="png", compress_level=level)
                steps[label] += cpu() - t
                sizes[label] = sizes.get(label, 0) + len(buf.getvalue()) if _ == 0 else sizes.get(label, 0)
            plt.close(drawing)
        for k, v in steps.items():
            best[k] = min(best.get(k, v), v)
    print(f"{len(inputs)} figures, CPU seconds summed over them (best of {args.repeat}):")
    for k, v in best.items():
        extra = f"  ({sizes[k] / 1024:.0f} KiB)" if k in sizes else ""
        print(f"  {k:36} {v:6.2f} s  {v / len(inputs) * 1000:5.0f} ms/figure{extra}")


if __name__ == "__main__":
    main()
