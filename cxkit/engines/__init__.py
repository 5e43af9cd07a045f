"""Engines: the score histogram computed where the data live (DuckDB, Spark, warehouses via Ibis).

A source-side wing between :mod:`cxkit.io` and :mod:`cxkit.stats`: it turns a Parquet/CSV
path or glob, a DuckDB relation, an Ibis table or a PySpark DataFrame into an Ibis table
(:mod:`cxkit.engines.sources`) and pushes the one aggregate every statistic needs — counts,
Σw and Σw² per group and score, with the exclusions counted and the scale checked — into the
engine (:mod:`cxkit.engines.histograms`).  Only the small histogram comes back to Python.
"""
