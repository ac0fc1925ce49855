"""xenmodel: a small modelling language for the Xen hypervisor, and its reference semantics."""
__version__ = "0.1.0"
