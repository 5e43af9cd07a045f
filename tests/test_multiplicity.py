"""Holm / Bonferroni / Benjamini–Hochberg adjustments against hand algebra and statsmodels."""

import numpy as np
import pytest
from statsmodels.stats.multitest import multipletests

from cxkit.stats.multiplicity import adjust_pvalues


def test_hand_values():
    p = [0.01, 0.04, 0.03, 0.20]
    # Holm: sorted 0.01, 0.03, 0.04, 0.20 times 4, 3, 2, 1 -> 0.04, 0.09, 0.08, 0.20; running max
    assert adjust_pvalues(p, "holm").tolist() == pytest.approx([0.04, 0.09, 0.09, 0.20])
    # BH: 0.01*4/1, 0.03*4/2, 0.04*4/3, 0.20*4/4 -> 0.04, 0.06, 0.0533, 0.20; running min from the top
    assert adjust_pvalues(p, "fdr-bh").tolist() == pytest.approx([0.04, 0.0533333, 0.0533333, 0.20])
    assert adjust_pvalues(p, "bonferroni").tolist() == pytest.approx([0.04, 0.16, 0.12, 0.80])


@pytest.mark.parametrize("ours,theirs", [("holm", "holm"), ("fdr-bh", "fdr_bh"), ("bonferroni", "bonferroni")])
def test_matches_statsmodels_on_random_families_with_ties_and_nan(ours, theirs):
    rng = np.random.default_rng(3)
    for m in (1, 2, 7, 40):
        p = rng.uniform(size=m) ** 2
        p[: m // 3] = p[0]                       # ties
        got = adjust_pvalues(np.r_[p, np.nan], ours)
        assert np.isnan(got[-1])
        assert got[:-1] == pytest.approx(multipletests(p, method=theirs)[1], abs=1e-12)


def test_old_spelling_warns_and_unknown_is_refused():
    with pytest.warns(DeprecationWarning, match="fdr-bh"):
        adjust_pvalues([0.1, 0.2], "fdr_bh")
    with pytest.raises(ValueError):
        adjust_pvalues([0.1], "sidak")
