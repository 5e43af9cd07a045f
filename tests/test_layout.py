"""The package layout: flat lazy API in step with the wings' ``__all__``, old module paths warn."""

import importlib
import subprocess
import sys
import warnings

import pytest

import cxkit


def test_exports_match_each_modules_all():
    for mod, names in cxkit._EXPORTS.items():
        module = importlib.import_module("cxkit." + mod)
        assert sorted(names) == sorted(module.__all__), mod
        for name in names:
            assert getattr(cxkit, name) is getattr(module, name)


def test_every_wing_module_with_all_is_exported():
    exported = set(cxkit._EXPORTS)
    for mod in ("core.errors", "core.metrics", "core.validate", "core.periods", "io.config", "io.readers",
                "io.loader", "io.frames",
                "stats.tally", "stats.estimators", "stats.summary", "stats.twosample", "stats.changes", "stats.planning",
                "stats.competitors", "report.redact", "report.formatting"):
        assert mod in exported


@pytest.mark.parametrize("old,new", sorted(cxkit._MOVED.items()))
def test_old_module_paths_warn_and_name_the_new_one(old, new):
    code = (f"import warnings; warnings.simplefilter('always')\n"
            f"with warnings.catch_warnings(record=True) as w:\n"
            f"    import {old} as m\n"
            f"import {new} as n\n"
            f"assert m is n, (m, n)\n"
            f"msgs = [str(x.message) for x in w if issubclass(x.category, DeprecationWarning)]\n"
            f"assert any({new!r} in s for s in msgs), msgs\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_flat_tally_is_the_function_not_a_module():
    assert callable(cxkit.tally)
    assert cxkit.tally.__module__ == "cxkit.stats.tally"


def test_io_does_not_import_stats():
    """The one-way flow: loading a survey never needs the statistics wing."""
    code = ("import sys, cxkit.io.loader, cxkit.io.config, cxkit.io.readers\n"
            "bad = [m for m in sys.modules if m.startswith(('cxkit.stats', 'cxkit.report', 'cxkit.plots'))]\n"
            "assert not bad, bad\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError):
        cxkit.no_such_name  # noqa: B018
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cxkit.demo.__name__ == "cxkit.io.demo"
