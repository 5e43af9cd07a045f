"""The ``cxkit`` console script.

Examples
--------
::

    cxkit report --config survey.yaml --month 2026-10 --out reports/
    cxkit report --config demo --month latest -p baseline same-last-year
    cxkit report --config survey.yaml -p weighted false -p alpha 0.1
    cxkit notebooks my-notebooks/      # copy the shipped notebooks out to explore or customise
    cxkit report --config survey.yaml --notebooks-dir my-notebooks/
    cxkit load survey.yaml             # load and print the LoadReport
    cxkit refresh-notebooks            # re-execute the notebooks in place
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .core.errors import CxkitError

__all__ = ["main"]


def _parse_value(text: str):
    """Parameters from ``-p name value``: numbers and true/false become typed, else text."""
    low = text.lower()
    if low in ("true", "false"):
        return low == "true"
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return text


def _config_arg(text: str) -> str:
    """Command-line paths are relative to the shell's working directory (as in every CLI);
    the absolute path is then what notebooks receive, whatever their own working directory."""
    p = Path(text).expanduser()
    return str(p.resolve()) if p.exists() else text


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cxkit", description="Honest statistics for CX surveys.")
    sub = parser.add_subparsers(dest="command", required=True)

    rep = sub.add_parser("report", help="run the monthly report (papermill → HTML) into OUT/YYYY-MM/")
    rep.add_argument("--config", default="demo", help="survey config YAML ('demo' = bundled synthetic survey)")
    rep.add_argument("--month", default="latest",
                     help="report period in the survey's period type (YYYY-MM, YYYYQn or YYYY), or "
                          "'latest' = last complete period in the data")
    rep.add_argument("--out", default="reports", help="output folder (default: reports/)")
    rep.add_argument("--notebooks", default=None,
                     help="comma-separated subset: overview,score_change,sample_size,competitor_nps")
    rep.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("NAME", "VALUE"), default=[],
                     help="override a report setting (a `report:` key of the config) or a notebook "
                          "parameter (repeatable), e.g. -p baseline same-last-year")
    rep.add_argument("--notebooks-dir", default=None, metavar="DIR",
                     help="run your own notebooks from DIR (see `cxkit notebooks`) instead of "
                          "the ones shipped with cxkit; named on the index page")
    rep.add_argument("--no-wait", action="store_true",
                     help="fail at once when another run is writing to the same --out folder "
                          "(default: wait for it)")
    rep.add_argument("--no-follow-up", action="store_true",
                     help="do not write follow_up.csv (the callback list of the month's detractors, "
                          "with unmasked comments)")
    rep.add_argument("--engine", default="", choices=["", "pandas", "duckdb"],
                     help="where the survey is computed: duckdb keeps it in the engine (only "
                          "aggregates and the listed rows reach Python); default as the config says")
    rep.add_argument("--no-redact", action="store_true",
                     help="show comments unmasked (default: e-mails, phones, long digit runs masked)")
    g = rep.add_mutually_exclusive_group()
    g.add_argument("--quiet", action="store_true", help="print only errors and the final path")
    g.add_argument("--verbose", action="store_true", help="log every cell and the notebooks' output")

    load = sub.add_parser("load", help="load a survey and print its LoadReport")
    load.add_argument("config", nargs="?", default="demo")

    nbs = sub.add_parser("notebooks", help="copy the notebooks shipped with cxkit into DIR")
    nbs.add_argument("dir", metavar="DIR")
    nbs.add_argument("--force", action="store_true", help="overwrite notebooks already in DIR")

    ref = sub.add_parser("refresh-notebooks", help="re-execute notebooks in place (stored outputs for nbval)")
    ref.add_argument("names", nargs="*")
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "report":
            from .report.runner import run_report

            mode = "quiet" if args.quiet else "verbose" if args.verbose else "auto"
            params = {k: _parse_value(v) for k, v in args.parameter}
            result = run_report(_config_arg(args.config), args.month, args.out, notebooks=args.notebooks,
                                parameters=params, redact=not args.no_redact, progress=mode,
                                notebooks_dir=args.notebooks_dir, wait=not args.no_wait,
                                follow_up=not args.no_follow_up, engine=args.engine)
            print(result.path / "index.html")
        elif args.command == "notebooks":
            from .report.runner import copy_notebooks

            for p in copy_notebooks(args.dir, overwrite=args.force):
                print(p)
            print(f"run them with: cxkit report --notebooks-dir {args.dir} ...", file=sys.stderr)
        elif args.command == "load":
            from .io.loader import load_survey

            _, report = load_survey(_config_arg(args.config))
            print(report)
        elif args.command == "refresh-notebooks":
            from .report.runner import refresh_notebooks

            refresh_notebooks(args.names or None)
    except CxkitError as exc:
        print(f"cxkit: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # last resort: an OS failure outside the places that name it
        print(f"cxkit: error: {exc.strerror or exc}"
              f"{f' ({exc.filename})' if exc.filename else ''}; check the path and free space, "
              f"then run again.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("cxkit: interrupted; nothing was written.", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
