"""The import layering of docs/architecture.md, enforced (issue 15's "Done when").

- The language (xenmodel/ except cli/ and reports/) imports no engine (checkers/), no solver (z3,
  hypothesis), no report and no CLI module.
- Engines (checkers/) import no parser, syntax tree, loader, type checker or lark, and no report or CLI
  module; not even indirectly (an engine's whole import closure is checked in a fresh interpreter).
- Reports (xenmodel/reports/) import no CLI module and no engine.
- Nothing loads a module through an importlib string, __import__ or runpy: every dependency is an import.
The CLI (xenmodel/cli/) is the one package that imports both the language and the engines.

`layering_violations(root)` checks a source tree; the self-tests run it on a synthetic tree with one
breach of each rule, so a scanner that went blind would fail here rather than pass silently.
"""
from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FRONT_END = {"lark", "xenmodel.parser", "xenmodel.parse_tree", "xenmodel.parse_errors", "xenmodel.grammar",
             "xenmodel.ast", "xenmodel.loader", "xenmodel.front", "xenmodel.frontend", "xenmodel.printer"}
ENGINE_FORBIDDEN = FRONT_END | {"xenmodel.cli", "xenmodel.reports"}
LANGUAGE_FORBIDDEN = {"z3", "hypothesis", "checkers", "xenmodel.cli", "xenmodel.reports"}
REPORTS_FORBIDDEN = {"xenmodel.cli", "checkers", "z3", "hypothesis"}
# The public test API is a front door like the CLI: it may load a model from a path through
# xenmodel.frontend (and nothing else of the front end).
FRONT_DOORS = {"testing.py", "pytest_plugin.py"}
FRONT_DOOR_ALLOWED = {"xenmodel.frontend", "xenmodel.frontend.load_model"}
DYNAMIC_CALLS = {"import_module", "__import__", "run_module", "run_path"}
DYNAMIC_MODULES = {"importlib", "runpy"}


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), str(path))


def imports_of(path: Path, root: Path = ROOT) -> set[str]:
    """Every module `path` imports (anywhere in it, relative imports resolved), and module.name for
    each `from module import name`."""
    out: set[str] = set()
    parts = path.relative_to(root).with_suffix("").parts
    package = list(parts if path.name == "__init__.py" else parts[:-1])
    if path.name == "__init__.py":
        package = package[:-1]  # drop "__init__"
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            out.add(mod)
            out |= {f"{mod}.{a.name}" for a in node.names}
    return out


def dynamic_imports_of(path: Path) -> list[int]:
    """Lines that load a module by name at run time (importlib, __import__, runpy)."""
    lines = []
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
            if name in DYNAMIC_CALLS:
                lines.append(node.lineno)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) else [])
            if any(n and n.split(".")[0] in DYNAMIC_MODULES for n in names):
                lines.append(node.lineno)
    return sorted(set(lines))


def _hits(mods: set[str], forbidden: set[str]) -> set[str]:
    return {m for m in mods for f in forbidden if m == f or m.startswith(f + ".")}


def _violations(root: Path, files: Iterable[Path], forbidden: set[str],
                allowed: Callable[[Path], set[str]] = lambda p: set()) -> dict[str, list[str]]:
    bad = {str(p.relative_to(root)): sorted(_hits(imports_of(p, root), forbidden) - allowed(p)) for p in files}
    return {k: v for k, v in bad.items() if v}


def layers(root: Path) -> dict[str, list[Path]]:
    """The modules of each layer under `root`."""
    cli, reports = root / "xenmodel" / "cli", root / "xenmodel" / "reports"
    main = root / "xenmodel" / "__main__.py"  # `python -m xenmodel`: runs the CLI, part of it
    xen = sorted((root / "xenmodel").rglob("*.py"))
    return {
        "language": [p for p in xen if cli not in p.parents and reports not in p.parents and p != main],
        "engines": sorted((root / "checkers").rglob("*.py")),
        "reports": sorted(reports.rglob("*.py")),
        "everything": xen + sorted((root / "checkers").rglob("*.py")) + sorted((root / "bench").rglob("*.py"))
        + sorted((root / "tests").rglob("*.py")),
    }


def layering_violations(root: Path) -> dict[str, dict[str, list]]:
    """Per rule, the files that break it and what they import (or the lines of their dynamic imports)."""
    mods = layers(root)
    front_door = lambda p: FRONT_DOOR_ALLOWED if p.name in FRONT_DOORS else set()  # noqa: E731
    return {
        "language imports no engine, solver, report or CLI": _violations(root, mods["language"], LANGUAGE_FORBIDDEN),
        "engines import no front end, report or CLI": _violations(root, mods["engines"], ENGINE_FORBIDDEN, front_door),
        "reports import no CLI or engine": _violations(root, mods["reports"], REPORTS_FORBIDDEN),
        "no module is loaded through a string": {
            str(p.relative_to(root)): lines for p in mods["everything"] if (lines := dynamic_imports_of(p))},
    }


def test_the_house_is_one_way():
    mods = layers(ROOT)
    assert len(mods["language"]) > 10 and mods["engines"] and mods["reports"]
    assert layering_violations(ROOT) == {rule: {} for rule in layering_violations(ROOT)}


def test_no_engine_loads_the_front_end_even_indirectly():
    # the static rule sees direct imports; this sees the whole closure of every engine module
    engines = sorted(".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
                     for p in layers(ROOT)["engines"] if p.name not in FRONT_DOORS)
    code = "".join(f"import {m}\n" for m in engines) + textwrap.dedent(f"""
        import sys
        bad = {sorted(ENGINE_FORBIDDEN)!r}
        print(sorted(m for m in sys.modules if any(m == b or m.startswith(b + ".") for b in bad)))
    """)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


# -- the scanner itself: it must see what it is meant to forbid

def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_the_rules_catch_one_breach_of_each(tmp_path):
    _write(tmp_path, "xenmodel/__init__.py", "")
    _write(tmp_path, "xenmodel/ir.py", "from . import types\n")  # fine
    _write(tmp_path, "xenmodel/semantics.py", "def f():\n    from checkers.explicit import search\n")
    _write(tmp_path, "xenmodel/cli/check.py", "import checkers.bmc\nfrom xenmodel import parser\n")  # fine
    _write(tmp_path, "xenmodel/reports/html.py", "from ..cli import common\n")
    _write(tmp_path, "checkers/__init__.py", "")
    _write(tmp_path, "checkers/explicit/__init__.py", "from .search import check\n")  # fine
    _write(tmp_path, "checkers/explicit/search.py", "from xenmodel import ir\nfrom xenmodel.ast import Expr\n")
    _write(tmp_path, "checkers/smt/bmc.py", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import lark\n")
    _write(tmp_path, "checkers/smt/encode.py", "from xenmodel.reports.results import result_text\n")
    _write(tmp_path, "checkers/testing.py", "from xenmodel.frontend import load_model\n")  # a front door: fine
    _write(tmp_path, "checkers/induction.py", "from xenmodel.frontend import load_model\n")
    _write(tmp_path, "bench/run.py", "import runpy\nrunpy.run_module('checkers.bmc')\n")
    assert layering_violations(tmp_path) == {
        "language imports no engine, solver, report or CLI": {
            "xenmodel/semantics.py": ["checkers.explicit", "checkers.explicit.search"]},
        "engines import no front end, report or CLI": {
            "checkers/explicit/search.py": ["xenmodel.ast", "xenmodel.ast.Expr"],
            "checkers/induction.py": ["xenmodel.frontend", "xenmodel.frontend.load_model"],
            "checkers/smt/bmc.py": ["lark"],
            "checkers/smt/encode.py": ["xenmodel.reports.results", "xenmodel.reports.results.result_text"]},
        "reports import no CLI or engine": {
            "xenmodel/reports/html.py": ["xenmodel.cli", "xenmodel.cli.common"]},
        "no module is loaded through a string": {"bench/run.py": [1, 2]},
    }


def test_relative_imports_resolve_from_the_package(tmp_path):
    _write(tmp_path, "checkers/explicit/__init__.py", "from . import search\nfrom ..smt import bmc\n")
    _write(tmp_path, "checkers/explicit/runtime.py", "from .codegen import emit\nfrom .. import smt\n")
    assert imports_of(tmp_path / "checkers/explicit/__init__.py", tmp_path) == {
        "checkers.explicit", "checkers.explicit.search", "checkers.smt", "checkers.smt.bmc"}
    assert imports_of(tmp_path / "checkers/explicit/runtime.py", tmp_path) == {
        "checkers.explicit.codegen", "checkers.explicit.codegen.emit", "checkers", "checkers.smt"}


def test_the_scanner_sees_dynamic_imports(tmp_path):
    src = tmp_path / "m.py"
    src.write_text("import importlib\nm = importlib.import_module('checkers.explicit')\nn = __import__('z3')\n"
                   "from importlib import import_module\n")
    assert dynamic_imports_of(src) == [1, 2, 3, 4]


def test_the_scanner_sees_the_real_imports():
    cli = ROOT / "xenmodel" / "cli"
    assert "xenmodel.ir" in imports_of(ROOT / "xenmodel" / "front" / "exprs.py")
    assert _hits(imports_of(cli / "check.py"), {"checkers"})
    assert "xenmodel.cli.check" in imports_of(cli / "__init__.py")
    assert _hits(imports_of(cli / "trace.py"), {"xenmodel.reports"})
