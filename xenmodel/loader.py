"""Files -> one list of declarations: includes resolved, overrides applied, duplicates reported.

Rules (docs/language.md, "Files"):
- `include "p"` is relative to the including file; a file included twice (a diamond) counts once.
- An include cycle is an error naming both include sites.
- Declarations are merged in include order (an included file's declarations come first).
- `override K name` replaces the earlier declaration of kind K with that name, in its place;
  `@weight(N) override action name` (no parameters, no body) keeps the action and replaces only the
  attributes it writes.
- Safety (docs/language.md, "Limits"): an include reads only a regular `.xm` file under the project
  root (see project_root, or `--root`), after resolving `..` and
  symlinks; FIFOs, devices and directories are refused before they are read.
- Instances: a file's own instances win over those of the files it includes (directly or not), so the
  nearest declaration of an instance name is used; two files that declare the same instance name and
  neither includes the other make that name ambiguous (an error only if it is selected).
"""
from __future__ import annotations

import dataclasses
import os
import stat
from dataclasses import dataclass, field

from . import ast as A
from .diagnostics import Diagnostic, DiagnosticError, Note
from .limits import DEFAULT, Limits
from .parser import parse_text
from .source import SourceFile, Span

_KIND = {A.ConstDecl: "const", A.SortDecl: "sort", A.EnumDecl: "enum", A.TypeDecl: "type",
         A.RecordDecl: "record", A.VarDecl: "var", A.InitDecl: "init", A.DefDecl: "def",
         A.ProcDecl: "proc", A.ActionDecl: "action", A.PropDecl: "property"}


def _with_attrs(prev: A.Declaration, decl: A.Declaration) -> A.Declaration:
    """The included action `prev` with the attributes of a bodyless override: each attribute the override
    writes replaces the action's of that name (a restated body could drift from the included one)."""
    assert isinstance(prev, A.ActionDecl)
    written = {name for name, _, _ in decl.meta.attrs}
    attrs = tuple(a for a in prev.meta.attrs if a[0] not in written) + decl.meta.attrs
    return dataclasses.replace(prev, meta=dataclasses.replace(prev.meta, attrs=attrs))


def kind_of(decl: A.Declaration) -> str:
    if isinstance(decl, A.PropDecl):
        return decl.kind
    return _KIND[type(decl)]


@dataclass
class Loaded:
    """The merged declarations of a root file and everything it includes."""
    root: str
    name: str
    doc: str
    decls: list[A.Declaration]  # without Include and InstanceDecl
    instances: dict[str, A.InstanceDecl]
    ambiguous: dict[str, list[A.InstanceDecl]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)


def _name_span(decl: A.Declaration) -> Span | None:
    return decl.meta.name_span or decl.span


# Files that mark a project's top directory (the repository of a model collection).
ROOT_MARKERS = (".git", "pyproject.toml")


def project_root(path: str, extra: tuple[str, ...] = (), root: str | None = None) -> str:
    """The directory includes may not leave: `root`, or else the deepest directory holding the project
    of the model and of every extra file. A file's project is the nearest directory above it with a
    ROOT_MARKERS entry (so spec/bugs/x.xm may include ../x.xm), or its own directory if there is none."""
    if root is not None:
        return os.path.realpath(root)
    return os.path.commonpath([_project_of(os.path.dirname(os.path.realpath(p))) for p in (path, *extra)])


def _project_of(directory: str) -> str:
    d = directory
    while True:
        if any(os.path.exists(os.path.join(d, m)) for m in ROOT_MARKERS):
            return d
        parent = os.path.dirname(d)
        if parent == d:
            return directory
        d = parent


def load(path: str, text: str | None = None, extra: tuple[str, ...] = (), root: str | None = None,
         limits: Limits = DEFAULT) -> Loaded:
    """Read a model file and its includes. Raises DiagnosticError."""
    diags: list[Diagnostic] = []
    modules: dict[str, A.Module] = {}
    order: list[str] = []
    edges: dict[str, set[str]] = {}  # file -> files it includes directly
    top = project_root(path, extra, root)

    def read(p: str, site: Span | None, stack: list[tuple[str, Span | None]]) -> None:
        real = os.path.normpath(p)
        if any(real == s for s, _ in stack):
            notes = [Note("the cycle is closed by this include", site)] if site else []
            first = next((sp for s, sp in stack[1:] if s == real), None)
            if first is None:
                first = site
            diags.append(Diagnostic("XM102", f"include cycle: {' -> '.join(s for s, _ in stack)} -> {real}",
                                    first if first else site, tuple(notes),
                                    help="remove one of the includes; shared declarations can live in a third file"))
            return
        if real in modules:
            return
        body: str | None
        if text is not None and real == os.path.normpath(path):
            body = text
        else:
            body = _read(real, site, top, diags)
            if body is None:
                return
        try:
            module = parse_text(body, real, limits)
        except DiagnosticError as err:
            diags.extend(err.diagnostics)
            return
        modules[real] = module
        for decl in module.decls:
            if isinstance(decl, A.Include):
                if not decl.path or "\0" in decl.path:
                    diags.append(Diagnostic("XM118", "an include path must be a non-empty file name without NUL "
                                                     "bytes", decl.span,
                                            help="name a .xm file, e.g. include \"common.xm\""))
                    continue
                target = os.path.join(os.path.dirname(real), decl.path)
                edges.setdefault(real, set()).add(os.path.normpath(target))
                read(target, decl.span, stack + [(real, site)])
        order.append(real)

    read(path, None, [])
    root = os.path.normpath(path)
    for p in extra:
        # an extra file is included by the root: it goes after the root's own declarations
        read(p, None, [])
    if diags:
        raise DiagnosticError(diags)

    decls: list[A.Declaration] = []
    index: dict[tuple[str, str], int] = {}  # (namespace, name) -> position in decls
    declared: dict[str, list[tuple[str, A.InstanceDecl]]] = {}  # instance name -> (file, decl)
    extra_roots = {os.path.normpath(p) for p in extra}
    if extra:  # the root's own declarations come before the extra files' (which may include it)
        order = [f for f in order if f not in extra_roots] + [f for f in order if f in extra_roots]
    for file in order:  # includes come before their includers
        for decl in modules[file].decls:
            if isinstance(decl, A.Include):
                continue
            if isinstance(decl, A.FairnessDecl):  # names no declaration of its own; the type checker checks it
                decls.append(decl)
                continue
            if isinstance(decl, A.InstanceDecl):
                same_file = [d for f, d in declared.get(decl.name, []) if f == file]
                if same_file:
                    diags.append(_dup(decl.name, decl, same_file[0], "instance"))
                    continue
                declared.setdefault(decl.name, []).append((file, decl))
                continue
            if isinstance(decl, A.InitDecl):
                _merge_init(decl, decls, diags)
                continue
            key = ("name", decl.name)
            override = getattr(decl, "override", False)
            if override:
                if key not in index:
                    diags.append(Diagnostic(
                        "XM104", f"`override {kind_of(decl)} {decl.name}` overrides nothing",
                        _name_span(decl) or decl.span,
                        help="override replaces a declaration of an included file; check the name and the include"))
                    continue
                prev = decls[index[key]]
                if kind_of(prev) != kind_of(decl):
                    diags.append(Diagnostic(
                        "XM105", f"`override {kind_of(decl)} {decl.name}` but `{decl.name}` is {_a(kind_of(prev))}",
                        _name_span(decl) or decl.span, (Note("declared here", _name_span(prev)),),
                        help=f"write `override {kind_of(prev)}`"))
                    continue
                decls[index[key]] = _with_attrs(prev, decl) if getattr(decl, "attrs_only", False) else decl
                continue
            if key in index:
                prev = decls[index[key]]
                diags.append(_dup(decl.name, decl, prev, kind_of(prev)))
                continue
            index[key] = len(decls)
            decls.append(decl)
    reach = _reachability(edges)
    for p in extra_roots:
        # an extra file counts as included by the root, unless it includes the root itself (a lemma
        # file does): then it is the outermost file and its instances are the nearest
        if root not in reach.get(p, set()):
            reach.setdefault(root, set()).update({p} | reach.get(p, set()))
    instances: dict[str, A.InstanceDecl] = {}
    ambiguous: dict[str, list[A.InstanceDecl]] = {}
    for name, decls_ in declared.items():
        # drop every declaration made in a file that another declaring file includes
        nearest = [(f, d) for f, d in decls_
                   if not any(f in reach.get(g, set()) for g, _ in decls_ if g != f)]
        if len(nearest) == 1:
            instances[name] = nearest[0][1]
        else:
            instances[name] = nearest[0][1]
            ambiguous[name] = [d for _, d in nearest]
    if diags:
        raise DiagnosticError(diags)
    top_module = modules[root]
    return Loaded(root=root, name=top_module.name or os.path.splitext(os.path.basename(root))[0],
                  doc=top_module.doc,
                  decls=decls, instances=instances, ambiguous=ambiguous, files=order)


def _merge_init(decl: A.InitDecl, decls: list[A.Declaration], diags: list[Diagnostic]) -> None:
    """Several `init` blocks make one: each file may declare one, and they run in include order (the
    order of `decls`). `override init` replaces the one init block of the files before it; with none
    there is nothing to replace (XM104), with several it would be ambiguous which (XM256)."""
    earlier = [i for i, d in enumerate(decls) if isinstance(d, A.InitDecl)]
    if decl.override:
        if not earlier:
            diags.append(Diagnostic("XM104", "`override init` overrides nothing", decl.span,
                                    help="override replaces a declaration of an included file; "
                                         "without `override`, this init block runs after the included ones"))
        elif len(earlier) > 1:
            diags.append(Diagnostic(
                "XM256", f"`override init` is ambiguous: the included files declare {len(earlier)} init blocks",
                decl.span, tuple(Note("an init block is here", decls[i].span) for i in earlier),
                help="write a plain `init` block, which runs after the included ones, to change what they set"))
        else:
            decls[earlier[0]] = decl
        return
    def file(d: A.Declaration) -> str | None:
        return d.span.file if d.span is not None else None
    same_file = [decls[i] for i in earlier if file(decls[i]) == file(decl)]
    if same_file:
        diags.append(Diagnostic("XM255", "a second `init` block in the same file", decl.span,
                                (Note("the first init block of this file is here", same_file[0].span),),
                                help="merge them into one block (blocks of different files run in include order)"))
        return
    decls.append(decl)


def _read(name: str, site: Span | None, root: str, diags: list[Diagnostic]) -> str | None:
    """The text of a model file, or None after a diagnostic. An included file must be a regular .xm file
    under the root; nothing of a refused file is read, so nothing of it can be echoed."""
    def refuse(code: str, message: str, hint: str) -> None:
        diags.append(Diagnostic(code, message, site, help=hint))

    resolved = os.path.realpath(name)
    if site is not None:
        if os.path.commonpath([root, resolved]) != root:
            shown = os.path.relpath(root)
            refuse("XM119", f"`{name}` is outside the project root `{root if shown.startswith('..') else shown}`",
                   "includes stay in the model's project (the directory with .git or pyproject.toml, "
                   "else the model's own); `--root DIR` names another")
            return None
        if not name.endswith(".xm"):
            refuse("XM120", f"`{name}` is not a .xm model file", "include only model files (*.xm)")
            return None
    try:
        # non-blocking, so that opening a FIFO returns at once; fstat then tells what was opened
        fd = os.open(resolved, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as err:
        reason = err.strerror or str(err)
        if site is None:
            refuse("XM115", f"cannot read model file `{name}`: {reason}", "check the path")
        else:
            refuse("XM101", f"cannot read included file `{name}`: {reason}",
                   "include paths are relative to the including file")
        return None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        what = "a directory" if stat.S_ISDIR(mode) else "a FIFO" if stat.S_ISFIFO(mode) else \
            "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file"
        refuse("XM120" if site is not None else "XM115", f"`{name}` is {what}, not a model file",
               "name a regular .xm file")
        return None
    with os.fdopen(fd, "rb") as fh:
        try:
            data = fh.read()
        except OSError as err:
            refuse("XM115" if site is None else "XM101", f"cannot read `{name}`: {err.strerror or err}",
                   "check the file")
            return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        before = data[:err.start].decode("utf-8", "replace")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        src = SourceFile(name, data.decode("utf-8", "replace"))
        diags.append(Diagnostic("XM015", f"`{name}` is not UTF-8 text: byte 0x{data[err.start]:02x} at line "
                                         f"{line}, column {column}", Span(name, len(before), len(before) + 1, src),
                                help="save the file as UTF-8"))
        return None


def _reachability(edges: dict[str, set[str]]) -> dict[str, set[str]]:
    """file -> every file it includes, directly or not."""
    out: dict[str, set[str]] = {}

    def visit(f: str, seen: set[str]) -> set[str]:
        if f in out:
            return out[f]
        result: set[str] = set()
        for g in edges.get(f, ()):
            if g not in seen:
                result |= {g} | visit(g, seen | {g})
        out[f] = result
        return result
    for f in list(edges):
        visit(f, {f})
    return out


def _a(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


def _dup(name: str, decl: A.Declaration, prev: A.Declaration, kind: str) -> Diagnostic:
    return Diagnostic("XM103", f"`{name}` is declared twice", _name_span(decl) or decl.span,
                      (Note(f"the first declaration ({kind}) is here", _name_span(prev) or prev.span),),
                      help="rename one of them, or use `override` to replace an included declaration")
