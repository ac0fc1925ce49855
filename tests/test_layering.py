"""The import layering of architecture.md, enforced.

- Engines (checkers/) never import the parser, the syntax tree, the loader, the checker or lark.
- The language (xenmodel/) never imports z3, hypothesis or checkers, except the CLI entry point.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENGINE_FORBIDDEN = {"lark", "xenmodel.parser", "xenmodel.ast", "xenmodel.loader", "xenmodel.checker",
                    "xenmodel.frontend", "xenmodel.cli", "xenmodel.printer", "xenmodel.explain"}
LANGUAGE_FORBIDDEN = {"z3", "hypothesis", "checkers"}
LANGUAGE_EXEMPT = {"cli.py"}
# The public test API is a front door like the CLI: it may load a model from a path through
# xenmodel.frontend (and nothing else of the front end).
FRONT_DOORS = {"testing.py", "pytest_plugin.py"}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), str(path))
    out: set[str] = set()
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    for node in ast.walk(tree):
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
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module" and node.args:
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                out.add(arg.value)
    return out


def _hits(mods: set[str], forbidden: set[str]) -> set[str]:
    return {m for m in mods for f in forbidden if m == f or m.startswith(f + ".")}


def test_engines_do_not_import_the_front_end():
    files = sorted((ROOT / "checkers").rglob("*.py"))
    assert files, "checkers/ has no modules"
    bad = {str(p.relative_to(ROOT)): sorted(_hits(imports_of(p), ENGINE_FORBIDDEN)
                                            - ({"xenmodel.frontend", "xenmodel.frontend.load_model"}
                                               if p.name in FRONT_DOORS else set()))
           for p in files}
    assert {k: v for k, v in bad.items() if v} == {}


def test_language_does_not_import_engines_or_solvers():
    files = sorted((ROOT / "xenmodel").rglob("*.py"))
    bad = {str(p.relative_to(ROOT)): sorted(_hits(imports_of(p), LANGUAGE_FORBIDDEN))
           for p in files if p.name not in LANGUAGE_EXEMPT}
    assert {k: v for k, v in bad.items() if v} == {}


def test_the_scanner_sees_imports():
    # the check above is only worth something if the scanner finds real imports
    mods = imports_of(ROOT / "xenmodel" / "checker.py")
    assert "xenmodel.ir" in mods and "xenmodel.ast" in mods
