"""The front end's checker: declarations -> IR (constants bound, names resolved, types checked, defs and
procs inlined), one module per phase; see base.py for the layers."""
from .lower import Checker

__all__ = ["Checker"]
