"""bench/stats.py: the sign-test interval and the orientation of ratios
(run by `make bench-quick`)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stats  # noqa: E402


def test_interval_levels_match_the_binomial():
    # n=5: only the whole range, 1 - 2/32; n=9: 2nd to 8th, 1 - 2*10/512.
    assert stats.sign_interval([5, 1, 4, 2, 3]) == (1, 5, 1 - 2 / 32)
    lo, hi, level = stats.sign_interval(list(range(9, 0, -1)))
    assert (lo, hi) == (2, 8) and abs(level - (1 - 20 / 512)) < 1e-12
    assert stats.sign_interval([3]) == (None, None, 0.0)


def test_ratio_is_keel_better_either_way():
    fast = stats.summarize([2.0, 2.0, 2.0], [1.0, 1.0, 1.0], "higher")
    quick = stats.summarize([1.0, 1.0, 1.0], [2.0, 2.0, 2.0], "lower")
    assert fast["ratio"] == 2.0 and quick["ratio"] == 2.0
    assert fast["keel_better_pairs"] == 3


def test_failed_runs_leave_their_pair_out():
    s = stats.summarize([2.0, None, 4.0], [1.0, 1.0, 2.0], "higher")
    assert s["pairs"] == 2 and s["pair_ratios"] == [2.0, 2.0]
