"""Write tests/r/design_gen.csv: a generated stratified cluster sample over four quarters with
ratings of three brands, for the design-based trend, change, decomposition and brand-gap tests.

Run with the venv python (``python tests/r/make_design_data.py``); the CSV is committed, and
``tests/r/weights_refs.R`` reads it to compute the R reference values in tests/refs_weights.py.
Every PSU has respondents in every quarter (a panel of clusters), so the quarters' estimates are
correlated and a change's variance must keep their covariance.
"""
from pathlib import Path

import numpy as np
import pandas as pd

rng = np.random.default_rng(20261202)
rows = []
psus = {1: 5, 2: 4, 3: 6, 4: 3}          # PSUs sampled per stratum
base = {1: 1.0, 2: 2.0, 3: 0.7, 4: 3.5}
quarters = ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
mix = {"2025-Q1": [0.5, 0.3, 0.2], "2025-Q2": [0.45, 0.3, 0.25],
       "2025-Q3": [0.4, 0.35, 0.25], "2025-Q4": [0.3, 0.35, 0.35]}
for h, m in psus.items():
    for c in range(1, m + 1):
        effect = rng.normal(0, 1.3)
        for k, q in enumerate(quarters):
            for i in range(int(rng.integers(8, 20))):
                channel = rng.choice(["web", "phone", "store"], p=mix[q])
                person = rng.normal(0, 1.0)
                lat = (7.0 + effect + person - 0.35 * k + 0.5 * (channel == "store")
                       - 0.2 * h / 2)
                own = int(np.clip(np.round(rng.normal(lat, 1.6)), 0, 10))
                r1 = int(np.clip(np.round(rng.normal(lat + 0.4, 1.6)), 0, 10))
                r2 = int(np.clip(np.round(rng.normal(lat - 0.8 + 0.4 * person, 1.8)), 0, 10))
                rival_a = r1 if rng.random() < 0.8 else np.nan
                rival_b = r2 if rng.random() < 0.6 else np.nan
                w = base[h] * float(rng.uniform(0.6, 1.4))
                rows.append((f"S{h}", f"C{c}", q, channel, own, rival_a, rival_b, round(w, 6)))
df = pd.DataFrame(rows, columns=["stratum", "psu", "period", "channel", "nps", "rival_a",
                                 "rival_b", "w"])
df.insert(0, "respondent_id", [f"D{i + 1:04d}" for i in range(len(df))])
df.to_csv(Path(__file__).with_name("design_gen.csv"), index=False)
print(len(df), "rows")
