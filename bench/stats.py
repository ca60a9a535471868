"""Pairs, ratios and their intervals for bench/run.

Each timed figure is measured as n PAIRS run back to back (keel, lwIP or
lwIP, keel), so a slow moment of the machine hits both halves of a pair.
The figure's ratio is the median over the pairs of the per-pair ratio,
oriented so that > 1 always means keel is better (keel/lwIP for rates,
lwIP/keel for times).  Its interval is the distribution-free one of the
sign test: the median of n ratios lies between the k-th smallest and k-th
largest with probability 1 - 2 P(Binom(n, 1/2) < k); k is the largest
that keeps that at or above the wanted level (95 %).  No assumption about
the noise's shape, and the level actually reached is reported (5 pairs
cannot give 95 %: they give 93.75 % with the whole range)."""
import math
import statistics

LEVEL = 0.95


def _binom_cdf_below(k, n):
    """P(Binom(n, 1/2) < k)."""
    return sum(math.comb(n, i) for i in range(k)) / 2.0 ** n


def sign_interval(values, level=LEVEL):
    """(low, high, level reached) for the median of values; (None, None,
    0.0) with fewer than 2 values."""
    v = sorted(values)
    n = len(v)
    if n < 2:
        return None, None, 0.0
    best = 1
    for k in range(1, n // 2 + 1):
        if 1 - 2 * _binom_cdf_below(k, n) >= level:
            best = k
    reached = 1 - 2 * _binom_cdf_below(best, n)
    return v[best - 1], v[n - best], reached


def pair_ratios(keel, lwip, better):
    """Per-pair ratios, > 1 when keel is better; pairs with a missing or
    zero value are left out."""
    out = []
    for k, l in zip(keel, lwip):
        if k is None or l is None or k <= 0 or l <= 0:
            continue
        out.append(k / l if better == "higher" else l / k)
    return out


def summarize(keel, lwip, better):
    """Everything the report needs about one paired figure."""
    def med(xs):
        xs = [x for x in xs if x is not None]
        return statistics.median(xs) if xs else None

    def spread(xs):
        xs = [x for x in xs if x is not None]
        if len(xs) < 2:
            return None
        m = statistics.median(xs)
        return (max(xs) - min(xs)) / m if m else None

    r = pair_ratios(keel, lwip, better)
    lo, hi, reached = sign_interval(r)
    wins = sum(1 for x in r if x > 1)
    return {
        "better": better,
        "keel_median": med(keel), "lwip_median": med(lwip),
        "keel_spread": spread(keel), "lwip_spread": spread(lwip),
        "ratio": statistics.median(r) if r else None,
        "ratio_low": lo, "ratio_high": hi, "ratio_level": reached,
        "pairs": len(r), "keel_better_pairs": wins,
        "pair_ratios": r,
    }
