"""The survey config's value types, checked in one place, and a YAML reader that refuses bombs.

:func:`check_config_types` walks a parsed config and raises one :class:`cxkit.ConfigError` for
the first value of the wrong type (``date.format: 5``, ``text: 5``, ``relationship.brands: 5``
…), naming the config file, the key, what the key takes and how to write it.  It runs before
any other check in :func:`cxkit.config_from_dict`, so the rest of the validation sees values
of the right shape (no ``TypeError`` from inside Python reaches a user).

:func:`safe_load_config` parses YAML with PyYAML's safe loader (no tags executed) and refuses
alias expansion beyond :data:`MAX_ALIASES` uses while composing the document, before any
structure is built: a 2 KB "billion laughs" file (anchors referencing anchors nine levels
deep) would otherwise expand to billions of values when the config is read.
"""

from __future__ import annotations

import reprlib

from ..core.errors import ConfigError

__all__ = ["check_config_types", "safe_load_config", "MAX_ALIASES", "MAX_NODES", "MAX_DEPTH"]

#: Alias uses (``*name``) allowed in one config file.  A real config repeats a score spec
#: a few times; an alias bomb needs thousands.
MAX_ALIASES = 100
#: YAML values allowed in one config file once aliases are expanded (a config has a few
#: hundred at most).
MAX_NODES = 100_000
#: Nesting depth allowed (a config nests four or five levels; PyYAML composes recursively, so
#: ten thousand nested brackets would end in a RecursionError traceback).
MAX_DEPTH = 50

_repr = reprlib.Repr()
_repr.maxstring, _repr.maxother, _repr.maxlist, _repr.maxdict, _repr.maxlevel = 60, 60, 6, 6, 2

# ---------------------------------------------------------------- value kinds ---------------
# Each kind: (test, description).  Column names are text: a number (YAML reads ``2017`` as
# one) is refused with the advice to quote it, so a wrong-type value is never taken as a name.


def _is_text(v):
    return isinstance(v, str)


def _is_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


TEXT = (_is_text, "a text")
COLUMN = (_is_text, "a column name (text; quote names that look like numbers: '2017')")
NUMBER = (_is_num, "a number")
BOOL = (lambda v: isinstance(v, bool), "true or false")
LABEL = (lambda v: _is_text(v) or _is_num(v), "a text or a number")
TEXT_OR_INT = (lambda v: _is_text(v) or _is_int(v), "a text or a whole number")


def _one_or_list(kind):
    test, desc = kind
    return (lambda v: test(v) or (isinstance(v, list) and all(test(x) for x in v)),
            f"{desc}, or a list of them")


def _list_of(kind, n=None):
    test, desc = kind
    return (lambda v: isinstance(v, list) and (n is None or len(v) == n) and all(
        test(x) for x in v), f"a list of {n if n else ''}{' ' if n else ''}values, each {desc}")


def _mapping_of(key_kind, value_kind):
    kt, kd = key_kind
    vt, vd = value_kind
    return (lambda v: isinstance(v, dict) and all(kt(a) and vt(b) for a, b in v.items()),
            f"a mapping of {kd} to {vd}")


MAPPING = (lambda v: isinstance(v, dict), "a mapping (key: value lines)")

_SOURCE = {
    "path": (TEXT, "`path: exports/2024-01.csv`"),
    "format": (TEXT, "`format: csv`"),
    "sheet": (TEXT_OR_INT, "`sheet: Responses` or `sheet: 0`"),
    "rename": (_mapping_of(LABEL, COLUMN), "`rename: {Q9Boarding: Q9BOARDING}`"),
    "period": (TEXT_OR_INT, "`period: \"2017\"`"),
    "id_prefix": (TEXT_OR_INT, "`id_prefix: \"2017-\"`"),
    "encoding": (TEXT, "`encoding: cp1252`"),
    "delimiter": (TEXT, "`delimiter: \";\"`"),
}
_SCORE = {
    "column": (COLUMN, "`column: ltr`"),
    "metric": (TEXT, "`metric: nps`"),
    "scale": (_list_of(NUMBER, 2), "`scale: [0, 10]`"),
    "missing": (_one_or_list(LABEL), "`missing: [11, \"N/A\"]`"),
    "top_box": (_one_or_list(NUMBER), "`top_box: [4, 5]`"),
    "integer": (BOOL, "`integer: false`"),
}
_DATE = {
    "column": (COLUMN, "`column: response_date`"),
    "format": (_one_or_list(TEXT), "`format: [\"ISO8601\", \"%d/%m/%Y\"]`"),
    "min": (TEXT, "`min: \"1990-01-01\"`"),
    "max": (TEXT, "`max: \"2030-12-31\"`"),
}
_SEGMENT = {
    "column": (COLUMN, "`column: REG`"),
    "labels": (_mapping_of(LABEL, LABEL), "`labels: {1: North, 2: South}`"),
}
_RELATIONSHIP = {
    "own": (LABEL, "`own: Acme`"),
    "brands": (_list_of(LABEL), "`brands: [Acme, Brightline]`"),
    "form": (TEXT, "`form: long`"),
    "brand_column": (COLUMN, "`brand_column: brand`"),
    "score_column": (COLUMN, "`score_column: ltr`"),
    "metric": (TEXT, "`metric: nps`"),
    "scale": (_list_of(NUMBER, 2), "`scale: [0, 10]`"),
    "missing": (_one_or_list(LABEL), "`missing: [11]`"),
}
_TOP = {
    "survey": (LABEL, "`survey: Customer survey 2024`"),
    "respondent_id": (COLUMN, "`respondent_id: response_id`"),
    "period": (TEXT, "`period: month`"),
    "weight": (COLUMN, "`weight: weight`"),
    "text": (_one_or_list(COLUMN), "`text: [comment]`"),
    "relationship_survey": (TEXT, "`relationship_survey: relationship.yaml`"),
    "on_invalid": (TEXT, "`on_invalid: exclude`"),
    "exclude_no_score": (BOOL, "`exclude_no_score: false`"),
    "engine": (TEXT, "`engine: duckdb`"),
}


def _where(path) -> str:
    return f"config {path}" if path else "survey config"


def _bad(path, key, kind, example, value):
    what = "nothing (an empty value)" if value is None else \
        f"{type(value).__name__} {_repr.repr(value)}"
    return ConfigError(f"{_where(path)}: `{key}`: must be {kind[1]}, got {what}. Write it as "
                       f"{example} (see docs/loading.md, 'Config reference').")


def _check(d, table, path, prefix):
    for k, (kind, example) in table.items():
        if k in d and d[k] is not None and not kind[0](d[k]):
            raise _bad(path, f"{prefix}{k}", kind, example, d[k])


def _check_map(d, table, path, key, example):
    if not isinstance(d, dict):
        raise _bad(path, key, MAPPING, example, d)
    _check(d, table, path, f"{key}.")


def check_config_types(data, path=None) -> None:
    """Raise :class:`cxkit.ConfigError` for the first config value of the wrong type.

    Checks every key of the config format (sources, scores, date, segments, relationship and
    the survey-level keys); unknown keys are left to the key check, which names the closest
    valid one.

    Examples
    --------
    >>> check_config_types({"sources": ["a.csv"], "scores": {"nps": "ltr"}, "text": "comment"})
    >>> check_config_types({"sources": ["a.csv"], "date": {"column": "d", "format": 5}})
    Traceback (most recent call last):
    ...
    cxkit.core.errors.ConfigError: survey config: `date.format`: must be a text, or a list of \
them, got int 5. Write it as `format: ["ISO8601", "%d/%m/%Y"]` (see docs/loading.md, 'Config \
reference').
    """
    if not isinstance(data, dict):
        return  # the key check says what a config must be
    _check(data, _TOP, path, "")
    srcs = data.get("sources")
    if srcs is not None:
        for i, s in enumerate(srcs if isinstance(srcs, list) else [srcs]):
            if isinstance(s, str):
                continue
            _check_map(s, _SOURCE, path, f"sources[{i}]", "`- path: exports/2024-01.csv`")
    scores = data.get("scores")
    if scores is not None:
        if not isinstance(scores, dict):
            raise _bad(path, "scores", MAPPING, "`scores: {nps: {column: ltr}}`", scores)
        for name, v in scores.items():
            if isinstance(v, str):
                continue
            _check_map(v, _SCORE, path, f"scores.{name}", f"`{name}: {{column: ltr}}`")
    date = data.get("date")
    if date is not None and not isinstance(date, str):
        _check_map(date, _DATE, path, "date", "`date: response_date` or "
                   "`date: {column: response_date, format: ISO8601}`")
    segs = data.get("segments")
    if segs is not None:
        if isinstance(segs, list):
            for j, g in enumerate(segs):
                if not _is_text(g):
                    raise _bad(path, f"segments[{j}]", COLUMN, "`segments: [channel, region]`", g)
        elif isinstance(segs, dict):
            for name, v in segs.items():
                if isinstance(v, dict):
                    _check(v, _SEGMENT, path, f"segments.{name}.")
                elif v is not None and not _is_text(v):
                    raise _bad(path, f"segments.{name}", COLUMN, f"`{name}: channel` or "
                               f"`{name}: {{column: REG, labels: {{1: North}}}}`", v)
        else:
            raise _bad(path, "segments", MAPPING, "`segments: {channel: channel}`", segs)
    rel = data.get("relationship")
    if rel is not None:
        _check_map(rel, _RELATIONSHIP, path, "relationship",
                   "`relationship: {own: Acme, brands: [Acme, Brightline]}`")


# ---------------------------------------------------------------- YAML ----------------------
def safe_load_config(text: str, path=None):
    """Parse config YAML safely: no tags executed, at most :data:`MAX_ALIASES` alias uses and
    at most :data:`MAX_NODES` values once aliases are expanded (both counted while composing,
    before any Python structure is built).

    Raises
    ------
    cxkit.ConfigError
        Too many aliases, or aliases that would expand to too many values (the message says
        how to write the file instead).
    yaml.YAMLError
        Not valid YAML (the caller wraps it).

    Notes
    -----
    Anchors and aliases share one node, so composing a "billion laughs" document is cheap —
    the cost comes later, from whatever walks the expanded structure (a ``str()`` of the
    survey title took minutes and gigabytes).  Each composed node is given its expanded size
    (1 for a scalar, 1 + its children's sizes for a list or mapping, the anchored node's size
    for an alias), so the bound holds for the structure as Python would see it.

    Examples
    --------
    >>> safe_load_config("a: &x [1, 2]\\nb: *x")
    {'a': [1, 2], 'b': [1, 2]}
    >>> bomb = "a: &a [lol, lol]\\n" + "".join(f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\\n"
    ...                                      for p, c in zip("abcdefghi", "bcdefghij"))
    >>> len(bomb)   # 81 aliases, 2 * 9**9 = 775 million values expanded
    404
    >>> safe_load_config(bomb)
    Traceback (most recent call last):
    ...
    cxkit.core.errors.ConfigError: survey config: the YAML's aliases (*name) expand to more \
than 100,000 values (a nested-alias 'billion laughs' file); cxkit refuses it. Write the values \
out, or use fewer anchors.
    """
    import yaml
    from yaml.events import AliasEvent
    from yaml.nodes import MappingNode, SequenceNode

    def refuse(what):
        return ConfigError(f"{_where(path)}: the YAML's aliases (*name) {what}; cxkit refuses "
                           f"it. Write the values out, or use fewer anchors.")

    class _Loader(yaml.SafeLoader):
        aliases = 0
        depth = 0

        def compose_node(self, parent, index):
            alias = self.check_event(AliasEvent)
            if alias:
                self.aliases += 1
                if self.aliases > MAX_ALIASES:
                    raise refuse(f"are used more than {MAX_ALIASES} times")
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise ConfigError(f"{_where(path)}: the YAML nests more than {MAX_DEPTH} levels "
                                  f"deep; a survey config nests four or five. Check that this "
                                  f"is the config file.")
            try:
                node = super().compose_node(parent, index)
            finally:
                self.depth -= 1
            if not alias:  # an alias returns its anchored node, already sized
                if isinstance(node, SequenceNode):
                    size = 1 + sum(getattr(c, "_cxkit_size", 1) for c in node.value)
                elif isinstance(node, MappingNode):
                    size = 1 + sum(getattr(k, "_cxkit_size", 1) + getattr(v, "_cxkit_size", 1)
                                   for k, v in node.value)
                else:
                    size = 1
                if size > MAX_NODES:
                    raise refuse(f"expand to more than {MAX_NODES:,} values (a nested-alias "
                                 f"'billion laughs' file)")
                node._cxkit_size = size
            return node

    loader = _Loader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
