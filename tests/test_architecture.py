"""Pages are thin: a docstring, the shared page setup, widgets, one data call, the charts.

Every page (`app.py` and `pages/*.py`, as listed in `ui.PAGES`) is read with `ast`, not run, and must keep to these
rules; what a page shows is computed in `lne_data.views` (read models), `lne_data.figures` (Plotly) and
`lne_data.sql` (SQL), and handed over ready-made:

1. A page imports `streamlit` and `lne_data`'s `figures` and `ui`, nothing else (no pandas, no DuckDB, no SQL), and
   uses of them only what they export (`__all__`): `ui` exports functions and constants, no module (no `ui.views`,
   no `ui.periodes`: `ui.periode_label`, `ui.this_quarter` are what a page needs of them).
2. It never names a pandas method that selects, filters, sorts, groups, joins, reshapes, aggregates or walks the
   rows of a frame (`FRAME_METHODS`), nor reaches pandas, DuckDB or SQL through another module (`ui.pd`,
   `ui.connection()`, `.execute(…)`: `THROUGH_OTHERS`).
3. It never subscripts with a condition (`frame[frame["a"] == x]`) or a list of columns (`frame[["a", "b"]]`),
   never compares a column (`frame["a"] == x`, which is how a mask is made), and never loops over one
   (`for x in frame["a"]`).
4. It holds no SQL text.

No module of `lne_data` uses another module's private name (`from X import _name`, `X._name`:
`test_no_module_uses_another_modules_private_names`): what others need has a public name.

Streamlit itself stays in the package `lne_data/ui`: no other module of `lne_data` imports it
(`test_only_the_ui_package_imports_streamlit`), so that everything else runs and is tested without it.

The rules read syntax, not types. `frame["a"]` on its own looks like `dict["a"]` and is let through (review catches
it); a method of a view that shares its name with a pandas method would be refused, which is why `count` (the
import preview's own count) and `join` (str.join, used for every list shown in a sentence) are not in the list.
`test_the_rules_catch_what_they_forbid` runs the rules on code that breaks each of them.
"""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest

from lne_data import figures, ui

from .conftest import ROOT

PAGES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]

ALLOWED_MODULES = {"streamlit", "__future__"}
ALLOWED_FROM_LNE_DATA = {"figures", "ui"}
EXPORTED = {"figures": set(figures.__all__), "ui": set(ui.__all__)}

FRAME_METHODS = {
    # selecting and filtering rows
    "loc", "iloc", "at", "iat", "query", "where", "mask", "filter", "isin", "between", "head", "tail", "sample",
    "nlargest", "nsmallest", "drop_duplicates", "duplicated", "dropna",
    # sorting, grouping, joining, reshaping
    "sort_values", "sort_index", "rank", "groupby", "resample", "rolling", "merge", "concat", "pivot", "pivot_table",
    "melt", "stack", "unstack", "explode", "rename", "set_index", "reset_index", "reindex", "drop", "assign",
    "fillna", "astype", "apply", "map", "applymap", "transform", "str", "dt",
    # aggregating
    "agg", "aggregate", "value_counts", "unique", "nunique", "sum", "mean", "median", "min", "max", "idxmin",
    "idxmax", "cumsum", "diff", "shift",
    # walking the rows, or turning a frame into Python objects to walk
    "itertuples", "iterrows", "to_dict", "to_list", "tolist", "to_numpy", "to_records",
}
THROUGH_OTHERS = {"pd", "pandas", "np", "numpy", "pa", "pyarrow", "duckdb", "sql", "db", "queries", "connection",
                  "cursor", "execute", "fetchall", "fetchone", "df"}
SQL = re.compile(r"\b(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+TABLE)\b", re.DOTALL)


def _is_column(node: ast.AST) -> bool:
    """`something["name"]`: a frame's column (or a dict's entry: syntax cannot tell them apart)."""
    return (isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant)
            and isinstance(node.slice.value, str))


def _is_condition(node: ast.AST) -> bool:
    if isinstance(node, (ast.Compare, ast.BoolOp)):
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Invert, ast.Not)):
        return True
    return isinstance(node, ast.BinOp) and isinstance(node.op, (ast.BitAnd, ast.BitOr, ast.BitXor))


def violations(source: str) -> list[str]:
    """Every place where `source` (a page) breaks a rule of this module's docstring, one line each."""
    found = []
    for node in ast.walk(ast.parse(source)):
        line = f"line {getattr(node, 'lineno', getattr(getattr(node, 'iter', None), 'lineno', 0))}"
        if isinstance(node, ast.Import):
            found += [f"{line}: import {a.name}" for a in node.names if a.name not in ALLOWED_MODULES]
        elif isinstance(node, ast.ImportFrom):
            names = {a.name for a in node.names}
            if node.level or not (node.module in ALLOWED_MODULES
                                  or (node.module == "lne_data" and names <= ALLOWED_FROM_LNE_DATA)):
                found.append(f"{line}: from {'.' * node.level}{node.module or ''} import {', '.join(sorted(names))}")
        elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in EXPORTED
              and node.attr not in EXPORTED[node.value.id]):
            found.append(f"{line}: {node.value.id}.{node.attr} (not exported by lne_data.{node.value.id})")
        elif isinstance(node, ast.Attribute) and node.attr in FRAME_METHODS:
            found.append(f"{line}: .{node.attr} (frame logic belongs in lne_data.views)")
        elif isinstance(node, ast.Attribute) and node.attr in THROUGH_OTHERS:
            found.append(f"{line}: .{node.attr} (pandas, DuckDB or SQL through another module)")
        elif isinstance(node, ast.Subscript) and _is_condition(node.slice):
            found.append(f"{line}: rows selected by a condition")
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.List):
            found.append(f"{line}: columns selected by a list")
        elif isinstance(node, ast.Compare) and any(_is_column(n) for n in [node.left, *node.comparators]):
            found.append(f"{line}: a column compared (a mask)")
        elif isinstance(node, (ast.For, ast.comprehension)) and _is_column(node.iter):
            found.append(f"{line}: loop over a column")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value):
            found.append(f"{line}: SQL text")
        elif isinstance(node, ast.Name) and node.id == "__import__":
            found.append(f"{line}: __import__")
    return sorted(found, key=lambda text: int(text.split(":")[0].removeprefix("line ")))


def test_every_page_is_read():
    """The rules below cannot pass on an empty list: the pages read are the pages of the menu."""
    assert {p.relative_to(ROOT).as_posix() for p in PAGES} == {path for path, _, _ in ui.PAGES}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_pages_are_thin(page: Path):
    assert violations(page.read_text(encoding="utf-8")) == []


BROKEN = [
    "import pandas as pd",
    "import duckdb",
    "from lne_data import sql",
    "from lne_data import ui, views",
    "from lne_data.views import Filters",
    "from .queries import frame",
    'rows = view.par_fiche[view.par_fiche["periodicite"] == "par structure"]',
    "rows = view.series[mask & other]",
    'rows = frame[~frame["exemple"]]',
    'codes = view.indicateurs.loc[view.indicateurs["fiche"] == numero, "code"]',
    "first = history.iloc[0]",
    'rows = frame.query("fiche == 3")',
    'totals = frame.groupby("axe")["montant"].sum()',
    'table = left.merge(right, on="fiche")',
    'table = frame.sort_values("periode")',
    'shown = frame.rename(columns={"fiche": "Fiche"})',
    'titles = ref.fiches.set_index("numero")["intitule"]',
    'fiches = sorted(view.indicateurs["fiche"].unique())',
    'shown = frame[["fiche", "intitule"]]',
    'mask = frame["fiche"] == 3',
    "for row in frame.itertuples():\n    st.write(row.fiche)",
    "for _, row in frame.iterrows():\n    st.write(row)",
    'others = [int(i) for i in history["id"] if int(i) != closure_id]',
    "both = ui.pd.concat([a, b])",
    'rows = ui.connection().execute("SELECT 1").fetchall()',
    'statement = "SELECT fiche FROM fiches WHERE axe = 1"',
    'pd = __import__("pandas")',
    "st.caption(ui.periodes.label(periode))",
    "view = ui.views.overview(filters)",
]


@pytest.mark.parametrize("code", BROKEN)
def test_the_rules_catch_what_they_forbid(code: str):
    assert violations(code), code


def test_the_rules_let_a_thin_page_through():
    page = '''"""A page."""

import streamlit as st

from lne_data import figures, ui

filters = ui.setup("Budget par axe")
view = ui.budget(filters)
st.metric("Prévu", ui.euros(view.prevu().prevu))
ui.chart(figures.budget_par_axe(view, {}), view.par_fiche, name="budget", columns={"fiche": "Fiche"})
if view.demandes:
    st.info(" ; ".join(f"fiche {d.fiche}" for d in view.demandes))
numero = st.selectbox("Fiche", [1, 2], index=[1, 2].index(2), format_func=lambda n: f"Fiche {n}")
if st.query_params.get("fiche", "") == "2" and numero in (1, 2):
    st.caption(ui.md(ref.feuille_de_route["titre"]))
'''
    assert violations(page) == []


def imports_streamlit(source: str) -> list[str]:
    """Every line of `source` that imports Streamlit, whatever the form (`import streamlit`, `from streamlit…`)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                 else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
        found += [f"line {node.lineno}: {name}" for name in names if name.split(".")[0] == "streamlit"]
    return found


def test_only_the_ui_package_imports_streamlit():
    package = ROOT / "lne_data"
    modules = [p for p in package.rglob("*.py") if (package / "ui") not in p.parents]
    assert len(modules) > 10  # the scan sees the sources
    assert {p.relative_to(ROOT).as_posix(): imports_streamlit(p.read_text(encoding="utf-8"))
            for p in modules if imports_streamlit(p.read_text(encoding="utf-8"))} == {}
    assert imports_streamlit((package / "ui" / "frame.py").read_text(encoding="utf-8"))  # the check does see one
    assert imports_streamlit("from streamlit.testing.v1 import AppTest\nimport streamlit.components.v1 as c") == [
        "line 1: streamlit.testing.v1", "line 2: streamlit.components.v1"]


def test_no_test_module_imports_another():
    """What several test modules share is in conftest.py: a helper imported from another test module ties one file's
    tests to another's and leaves a newcomer looking for it in the wrong place."""
    found = {}
    for path in sorted((ROOT / "tests").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and re.fullmatch(r"(tests)?\.?test_\w+", node.module or ""):
                found.setdefault(path.name, []).append(node.module)
    assert found == {}


def private_uses(source: str, module: str, is_package: bool = False) -> list[str]:
    """Every place where `source` (the module `module` of lne_data) uses another module's private name: `from X import
    _name`, or `X._name` with `X` a module it imported. Its own privates are its business; what another module needs
    has a public name."""
    package = module if is_package else module.rpartition(".")[0]
    modules = {}  # a local name → the lne_data module it is bound to
    found = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join([*parts[:len(parts) - node.level + 1], *([node.module] if node.module else [])])
            if base.split(".")[0] != "lne_data":
                continue
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__") and base != module:
                    found.append(f"line {node.lineno}: from {base} import {alias.name}")
                modules[alias.asname or alias.name] = f"{base}.{alias.name}"
        elif isinstance(node, ast.Import):
            modules.update({a.asname or a.name.split(".")[0]: a.name for a in node.names
                            if a.name.split(".")[0] == "lne_data"})
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                and isinstance(node.value, ast.Name) and node.value.id in modules):
            found.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
    return found


def test_no_module_uses_another_modules_private_names():
    package = ROOT / "lne_data"
    found = {}
    for path in sorted(package.rglob("*.py")):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        if uses := private_uses(path.read_text(encoding="utf-8"), name, path.name == "__init__.py"):
            found[path.relative_to(ROOT).as_posix()] = uses
    assert found == {}


def test_the_private_names_check_sees_them():
    assert private_uses("from .model import _corrupt, Limits", "lne_data.xlsx.parse") == [
        "line 1: from lne_data.xlsx.model import _corrupt"]
    assert private_uses("from .. import views\nx = views._key_figures", "lne_data.reports.data") == [
        "line 2: views._key_figures"]
    assert private_uses("from lne_data.views import base\nbase._fetch()", "lne_data.cli") == ["line 2: base._fetch"]
    assert private_uses("from . import _helpers", "lne_data.views.fiches") == [
        "line 1: from lne_data.views import _helpers"]
    assert private_uses("from .base import _fetch", "lne_data.views", is_package=True) == [
        "line 1: from lne_data.views.base import _fetch"]
    # its own privates, dunders and other libraries' privates are let through
    assert private_uses("from .base import __all__\nimport os\nos._exit\n_mine = 1\n_mine", "lne_data.views.x") == []
    assert private_uses("from lne_data.views.x import _mine", "lne_data.views.x") == []


def test_ui_exports_no_module():
    """Pages reach the read models and the quarters through `ui`'s functions, not through modules it re-exports."""
    assert [name for name in ui.__all__ if inspect.ismodule(getattr(ui, name))] == []
    assert set(ui.__all__) <= set(dir(ui))


MAX_FUNCTION_LINES = 80


def long_functions(source: str) -> list[str]:
    """Every function of `source` longer than MAX_FUNCTION_LINES lines, signature and docstring included."""
    return [f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
            for node in ast.walk(ast.parse(source))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno is not None
            and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]


def test_no_function_is_over_80_lines():
    """A newcomer reads a function in one screen: a longer one is split into named steps (README « Architecture »)."""
    found = {path.relative_to(ROOT).as_posix(): long
             for path in sorted([*(ROOT / "lne_data").rglob("*.py"), ROOT / "app.py", *(ROOT / "pages").glob("*.py")])
             if (long := long_functions(path.read_text(encoding="utf-8")))}
    assert found == {}


def test_the_length_check_counts_every_line():
    body = "\n".join(f"    x{i} = {i}" for i in range(79))
    assert long_functions(f"def fits():\n{body}\n") == []
    assert long_functions(f"def too_long():\n{body}\n    return 1\n") == ["too_long (81 lines)"]


def test_every_download_button_is_ui_download():
    """A download must not rerun the page (`ui.download`: on_click="ignore"): a rerun gave every download button a
    new file address, and the Excel file clicked right after the CSV downloaded nothing (CI, December 2026)."""
    calls = {}
    for path in [*sorted((ROOT / "lne_data").rglob("*.py")), *sorted((ROOT / "pages").glob("*.py")), ROOT / "app.py"]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr == "download_button":
                calls.setdefault(str(path.relative_to(ROOT)), []).append(node)
    assert list(calls) == ["lne_data/ui/widgets.py"] and len(calls["lne_data/ui/widgets.py"]) == 1, list(calls)
    (call,) = calls["lne_data/ui/widgets.py"]
    assert any(k.arg == "on_click" and isinstance(k.value, ast.Constant) and k.value.value == "ignore"
               for k in call.keywords)
