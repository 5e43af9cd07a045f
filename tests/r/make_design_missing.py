"""Write tests/r/design_missing.csv: tests/r/design_gen.csv with item non-response in ``nps``.

For the domain-estimation tests (tests/test_design_domain.py): about 20% of the ``nps`` answers
are blanked at random, and every answer of one PSU (S2/C3) in every quarter, so a PSU of the
design has no valid score at all — it still counts in its stratum's n_h (R: svymean(na.rm =
TRUE) and svyby keep the whole design).  Run with the venv python
(``python tests/r/make_design_missing.py``); the CSV is committed, and tests/r/weights_refs.R
reads it for the DM_* references in tests/refs_weights.py.
"""
from pathlib import Path

import numpy as np
import pandas as pd

here = Path(__file__).parent
df = pd.read_csv(here / "design_gen.csv")
rng = np.random.default_rng(20261203)
blank = (rng.random(len(df)) < 0.2) | ((df["stratum"] == "S2") & (df["psu"] == "C3"))
df["nps"] = df["nps"].astype("Int64").mask(blank)
df.to_csv(here / "design_missing.csv", index=False)
print(len(df), "rows,", int(blank.sum()), "without nps")
