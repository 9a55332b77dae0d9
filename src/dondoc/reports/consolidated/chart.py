"""The chart of the Word report, on its own: only it needs matplotlib, imported when a chart is drawn."""

from __future__ import annotations

import io

from .data import Data


def chart_png(data: Data) -> bytes | None:
    """Tasks by shortcoming and by status, as a stacked horizontal bar chart (matplotlib, Agg); None when there
    is nothing to draw. Colours for the screen, the labels carry the meaning in print."""
    groups = [g for g in data.groups if g.figures["total"]]
    if not groups:
        return None
    import matplotlib
    from matplotlib.figure import Figure  # no pyplot: a figure of its own renders with Agg, no global backend

    with matplotlib.rc_context({"font.family": "DejaVu Sans", "svg.hashsalt": "dondoc"}):  # DejaVu has Vietnamese
        return _draw(Figure, groups, data)


def _draw(Figure, groups, data: Data) -> bytes:
    labels = [g.ref or "—" for g in groups][::-1]
    series = [("Hoàn thành đúng hạn", lambda f: f["done_on_time"], "#2e7d32"),
              ("Hoàn thành quá hạn", lambda f: f["done_late"], "#f9a825"),
              ("Chưa hoàn thành, trong hạn", lambda f: f["open_in_time"] + f["awaiting_confirmation"] + f["ongoing"],
               "#1565c0"),
              ("Chưa hoàn thành, quá hạn", lambda f: f["overdue"], "#c62828")]
    fig = Figure(figsize=(6.3, max(2.0, 0.24 * len(groups) + 1.1)), dpi=150)
    ax = fig.add_subplot()
    left = [0] * len(groups)
    for name, pick, colour in series:
        values = [pick(g.figures) for g in groups][::-1]
        ax.barh(labels, values, left=left, color=colour, label=name, height=0.62)
        left = [a + b for a, b in zip(left, values)]
    ax.set_xlabel("Số nhiệm vụ", fontsize=8)
    ax.set_ylabel("Nội dung" if not data.about_shortcomings else "Hạn chế, khuyết điểm", fontsize=8)
    ax.tick_params(labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    handles, names = ax.get_legend_handles_labels()
    fig.legend(handles, names, fontsize=7, ncols=2, loc="lower center", frameon=False)
    legend_room = 0.45 / fig.get_figheight()  # two lines of 7 pt text, in figure fractions
    fig.tight_layout(rect=(0, legend_room, 1, 1))
    out = io.BytesIO()
    fig.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()
