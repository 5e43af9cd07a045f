"""Write tests/r/weights_gen.csv: generated stratified cluster sample for the weighting tests.

Run with the venv python (``python tests/r/make_weights_data.py``); the CSV is committed, and
``tests/r/weights_refs.R`` reads it to compute the R reference values in tests/refs_weights.py.
"""
from pathlib import Path

import numpy as np
import pandas as pd

rng = np.random.default_rng(20261201)
rows = []
psus = {1: 6, 2: 5, 3: 8, 4: 4}         # PSUs sampled per stratum
fpc = {1: 20, 2: 15, 3: 30, 4: 10}      # PSUs in the population per stratum
base = {1: 1.0, 2: 2.5, 3: 0.8, 4: 4.0}
for h, m in psus.items():
    for c in range(1, m + 1):
        effect = rng.normal(0, 1.2)
        for i in range(int(rng.integers(12, 36))):
            region = rng.choice(["North", "South", "East"], p=[0.5, 0.3, 0.2])
            age = rng.choice(["18-34", "35-54", "55+"], p=[0.3, 0.4, 0.3])
            brand = rng.choice(["Alpha", "Beta"])
            period = rng.choice(["2024-Q1", "2024-Q2"])
            lat = 7.2 + effect + 0.6 * (brand == "Beta") + 0.5 * (age == "55+") - 0.3 * h / 2
            nps = int(np.clip(np.round(rng.normal(lat, 2.0)), 0, 10))
            csat = int(np.clip(np.round(rng.normal(3.6 + effect / 2, 1.0)), 1, 5))
            w0 = base[h] * float(rng.uniform(0.7, 1.3))
            rows.append((f"S{h}", f"S{h}-C{c}", fpc[h], region, age, brand, period, nps, csat,
                         round(w0, 6)))
df = pd.DataFrame(rows, columns=["stratum", "psu", "fpc", "region", "age", "brand", "period",
                                 "nps", "csat", "w0"])
df.insert(0, "respondent_id", [f"R{i + 1:04d}" for i in range(len(df))])
df.to_csv(Path(__file__).with_name("weights_gen.csv"), index=False)
print(len(df), "rows")
