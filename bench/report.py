"""bench/run's outputs: the table (build/bench/results.txt, also printed),
every figure as JSON (build/bench/results.json) and the chart of ratios
with their intervals (build/bench/ratios.png, python3-matplotlib)."""
import json
import os

import stats


def paired_row(board, figure, unit, better, keel, lwip):
    row = {"board": board, "figure": figure, "unit": unit, "kind": "paired",
           "keel": keel, "lwip": lwip}
    row.update(stats.summarize(keel, lwip, better))
    return row


def fixed_row(board, figure, keel, lwip, better="lower", unit=""):
    """A figure measured once (sizes, counts, a flood): no interval."""
    r = None
    if isinstance(keel, (int, float)) and isinstance(lwip, (int, float)) and keel > 0 and lwip > 0:
        r = keel / lwip if better == "higher" else lwip / keel
    return {"board": board, "figure": figure, "unit": unit, "kind": "fixed", "better": better,
            "keel": keel, "lwip": lwip, "keel_median": keel, "lwip_median": lwip, "ratio": r}


def _num(v):
    if v is None:
        return "-"
    if isinstance(v, float):
        if abs(v) >= 1000:
            return "%.0f" % v
        return "%.3g" % v if abs(v) < 10 else "%.1f" % v
    return str(v)


def _spread(s):
    return "" if s is None else " ±%.0f%%" % (50 * s)


def table(rows, head):
    """The text table: medians with their half-range, ratio, interval."""
    lines = [head, "",
             "%-12s %-44s %17s %17s %6s %-16s %-6s %s" % (
                 "board", "figure", "keel", "lwIP", "keel×", "interval", "ahead", "goal")]
    for r in rows:
        if r["kind"] == "paired":
            k = _num(r["keel_median"]) + _spread(r["keel_spread"])
            l = _num(r["lwip_median"]) + _spread(r["lwip_spread"])
            iv = ("[%.2f, %.2f] %.0f%%" % (r["ratio_low"], r["ratio_high"], 100 * r["ratio_level"])
                  if r["ratio_low"] is not None else "-")
            wins = "%d/%d" % (r["keel_better_pairs"], r["pairs"])
        else:
            k, l, iv, wins = _num(r["keel"]), _num(r["lwip"]), "", ""
        ratio = "%.2f" % r["ratio"] if r.get("ratio") else "-"
        label = r["figure"] + (" (%s)" % r["unit"] if r["unit"] else "")
        goal = ""
        if r.get("goal"):
            goal = "%s: %s" % (r["goal"], "met" if r.get("goal_met") else "NOT met")
        lines.append(("%-12s %-44s %17s %17s %6s %-16s %-6s %s" % (
            r["board"], label[:44], k, l, ratio, iv, wins, goal)).rstrip())
    return "\n".join(lines) + "\n"


def write_json(path, doc):
    with open(path, "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
        f.write("\n")


def chart(path, rows, title):
    """Horizontal bars: keel's advantage per row (log scale, 1 = parity),
    the interval as error bars.  Returns False without matplotlib."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    rows = [r for r in rows if r.get("ratio")]
    if not rows:
        return False
    labels, vals, lo, hi, colors = [], [], [], [], []
    palette = {"lm3s6965evb": "#1f77b4", "mps2-an385": "#ff7f0e"}
    for r in rows:
        labels.append("%s  %s" % (r["board"], r["figure"]))
        vals.append(r["ratio"])
        low = r.get("ratio_low") or r["ratio"]
        high = r.get("ratio_high") or r["ratio"]
        lo.append(r["ratio"] - low)
        hi.append(high - r["ratio"])
        colors.append(palette.get(r["board"], "#7f7f7f"))
    fig, ax = plt.subplots(figsize=(9, 0.32 * len(rows) + 1.5))
    y = list(range(len(rows)))[::-1]
    ax.barh(y, [v - 1 for v in vals], left=1, xerr=[lo, hi], color=colors, capsize=3)
    ax.axvline(1.0, color="black", linewidth=1)
    ax.set_yticks(y)
    ax.set_yticklabels(labels, fontsize=8)
    ax.set_xscale("log")
    ticks = [t for t in (0.125, 0.25, 0.5, 1, 2, 4, 8)
             if min(vals + [1]) / 2 <= t <= max(vals + [1]) * 2]
    ax.set_xticks(ticks)
    ax.set_xticklabels(["%g" % t for t in ticks])
    ax.minorticks_off()
    ax.set_xlabel("keel's advantage over lwIP 2.1.3 (>1: keel better; bars: median of pairs, "
                  "whiskers: sign-test interval)", fontsize=8)
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def markdown(rows, boards):
    """The README's table: one line per figure, one column per board with
    keel×, its interval and both medians."""
    figures = []
    cols = ["host x86-64"] if any(r.get("instructions") for r in rows) else []
    cols += list(boards)
    for r in rows:     # every figure of a board but the footprint's parts
        if r["board"] in cols and not r["figure"].startswith(" ") \
                and r["figure"] not in figures:
            figures.append(r["figure"])
    out = ["| figure | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for fig in figures:
        cells = []
        for b in cols:
            r = next((x for x in rows if x["board"] == b and x["figure"] == fig), None)
            if r is None:
                cells.append("")
            elif r["kind"] == "paired":
                iv = ("[%.2f, %.2f]" % (r["ratio_low"], r["ratio_high"])
                      if r["ratio_low"] is not None else "")
                cells.append("**%.2f** %s (%s vs %s)" % (r["ratio"], iv, _num(r["keel_median"]),
                                                         _num(r["lwip_median"])))
            elif r.get("ratio"):
                cells.append("**%.2f** (%s vs %s)" % (r["ratio"], _num(r["keel"]), _num(r["lwip"])))
            elif r["keel"] == r["lwip"]:          # the ceiling: one figure for both
                cells.append("%s" % _num(r["keel"]))
            else:
                cells.append("%s vs %s" % (_num(r["keel"]), _num(r["lwip"])))
            if r is not None and r.get("goal"):
                cells[-1] += " goal %s: %s" % (r["goal"], "met" if r.get("goal_met") else
                                               "**not met**")
        unit = next((x["unit"] for x in rows if x["figure"] == fig), "")
        out.append("| %s%s | %s |" % (fig, " (%s)" % unit if unit else "", " | ".join(cells)))
    return "\n".join(out) + "\n"
