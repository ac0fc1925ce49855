"""The explicit-state engine: breadth-first search over every reachable state of an instance.

- search.py: the search (`check`), its statistics and counterexamples;
- codegen_expr.py, codegen.py, model_code.py, bfs_code.py: the transition relation and properties
  compiled once into Python source (bfs_code.py: the search's expansion, with its memo tables);
  runtime.py: what that code calls; analysis.py: what the generator asks of the IR;
- store.py: how states are stored (one int of packed component ids);
- symmetry.py, symmetry_rule.py: canonicalisation under symmetric sorts;
- compiled_semantics.py: the compiled transition relation behind xenmodel.simulate's interface.
"""
from .search import check

__all__ = ["check"]
