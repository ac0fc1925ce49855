"""The import layering of docs/architecture.md, enforced.

- The language (xenmodel/ except cli/ and reports/) imports no engine (checkers/), no solver (z3,
  hypothesis), no report and no CLI module.
- Engines (checkers/) import no parser, syntax tree, loader, checker or lark, and no report or CLI module.
- Reports (xenmodel/reports/) import no CLI module and no engine.
- Nothing loads a module through an importlib string or __import__: every dependency is an import.
The CLI (xenmodel/cli/) is the one package that imports both the language and the engines.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI, REPORTS = ROOT / "xenmodel" / "cli", ROOT / "xenmodel" / "reports"
MAIN = ROOT / "xenmodel" / "__main__.py"  # `python -m xenmodel`: runs the CLI, part of it
ENGINE_FORBIDDEN = {"lark", "xenmodel.parser", "xenmodel.parse_tree", "xenmodel.parse_errors", "xenmodel.grammar",
                    "xenmodel.ast", "xenmodel.loader", "xenmodel.front", "xenmodel.frontend", "xenmodel.cli",
                    "xenmodel.printer", "xenmodel.reports"}
LANGUAGE_FORBIDDEN = {"z3", "hypothesis", "checkers", "xenmodel.cli", "xenmodel.reports"}
REPORTS_FORBIDDEN = {"xenmodel.cli", "checkers", "z3", "hypothesis"}
# The public test API is a front door like the CLI: it may load a model from a path through
# xenmodel.frontend (and nothing else of the front end).
FRONT_DOORS = {"testing.py", "pytest_plugin.py"}
DYNAMIC_IMPORTS = {"import_module", "__import__"}


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), str(path))


def imports_of(path: Path) -> set[str]:
    out: set[str] = set()
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    if path.name == "__init__.py":  # `from . import x` in a package's __init__ is relative to the package
        package = ".".join(path.relative_to(ROOT).parts[:-1])
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
                out.add(mod)
                out |= {f"{mod}.{a.name}" for a in node.names}
            else:
                out.add(node.module or "")
                out |= {f"{node.module}.{a.name}" for a in node.names}
    return out


def dynamic_imports_of(path: Path) -> list[int]:
    """Lines that load a module by name at run time (importlib.import_module, __import__, importlib)."""
    lines = []
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
            if name in DYNAMIC_IMPORTS:
                lines.append(node.lineno)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) else [])
            if any(n and n.split(".")[0] == "importlib" for n in names):
                lines.append(node.lineno)
    return lines


def _hits(mods: set[str], forbidden: set[str]) -> set[str]:
    return {m for m in mods for f in forbidden if m == f or m.startswith(f + ".")}


def _under(path: Path, folder: Path) -> bool:
    return folder in path.parents


def _violations(files, forbidden: set[str], allowed=lambda p: set()) -> dict[str, list[str]]:
    bad = {str(p.relative_to(ROOT)): sorted(_hits(imports_of(p), forbidden) - allowed(p)) for p in files}
    return {k: v for k, v in bad.items() if v}


def test_engines_do_not_import_the_front_end_reports_or_cli():
    files = sorted((ROOT / "checkers").rglob("*.py"))
    assert files, "checkers/ has no modules"
    front_door = {"xenmodel.frontend", "xenmodel.frontend.load_model"}
    assert _violations(files, ENGINE_FORBIDDEN, lambda p: front_door if p.name in FRONT_DOORS else set()) == {}


def test_language_does_not_import_engines_solvers_reports_or_cli():
    files = [p for p in sorted((ROOT / "xenmodel").rglob("*.py")) 
             if not _under(p, CLI) and not _under(p, REPORTS) and p != MAIN]
    assert len(files) > 10
    assert _violations(files, LANGUAGE_FORBIDDEN) == {}


def test_reports_do_not_import_the_cli_or_engines():
    files = sorted(REPORTS.rglob("*.py"))
    assert files, "xenmodel/reports/ has no modules"
    assert _violations(files, REPORTS_FORBIDDEN) == {}


def test_no_module_is_loaded_through_a_string():
    files = sorted((ROOT / "xenmodel").rglob("*.py")) + sorted((ROOT / "checkers").rglob("*.py"))
    bad = {str(p.relative_to(ROOT)): lines for p in files if (lines := dynamic_imports_of(p))}
    assert bad == {}


def test_the_scanner_sees_imports():
    # the checks above are only worth something if the scanner finds real imports
    mods = imports_of(ROOT / "xenmodel" / "front" / "exprs.py")
    assert "xenmodel.ir" in mods and "xenmodel.ast" in mods
    assert "checkers.explicit.check" in imports_of(CLI / "check.py")
    assert "xenmodel.cli.check" in imports_of(CLI / "__init__.py")
    assert _hits(imports_of(CLI / "trace.py"), {"xenmodel.reports"})


def test_the_scanner_sees_dynamic_imports(tmp_path):
    src = tmp_path / "m.py"
    src.write_text("import importlib\nm = importlib.import_module('checkers.explicit')\nn = __import__('z3')\n")
    assert dynamic_imports_of(src) == [1, 2, 3]
