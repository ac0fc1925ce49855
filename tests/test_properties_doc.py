"""docs/properties.md against spec/: the names it gives are declared, the variants it names break what it says."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "properties.md").read_text()
SPEC = "\n".join(p.read_text() for p in sorted((ROOT / "spec").glob("*.xm")))
DECLARED = set(re.findall(r"^(?:override\s+)?(?:invariant|lemma)\s+(\w+)", SPEC, re.M))
ASSERT_LABELS = set(re.findall(r"assert\b[^\n]*?\"(\w+):", SPEC))
WORDS = set(re.findall(r"\w+", SPEC))


def rows() -> list[tuple[str, str, str, str]]:
    """(id, checked by, files, broken by) of every property row."""
    found = re.findall(r"^\| \*\*([A-K]\d+)\*\* \| [^|]* \| [^|]* \| (.*?) \|\s*(.*?)\s*\| (.*?) \|$", DOC, re.M)
    return [(a, b, c, d) for a, b, c, d in found]


def test_every_property_has_one_row() -> None:
    ids = [r[0] for r in rows()]
    groups = {"A": 5, "B": 8, "C": 11, "D": 19, "E": 24, "F": 29, "G": 32, "H": 36, "I": 38, "J": 40, "K": 43}
    # ids after K43 continue the one sequence, each row in the table of its group (after that group's first ids)
    later = {"A": [44, 47, 57], "B": [45, 46, 48, 49, 58], "C": [53, 54, 55], "D": [50, 51, 52], "H": [56]}
    expected, n = [], 1
    for g, last in groups.items():
        expected += [f"{g}{k}" for k in [*range(n, last + 1), *later.get(g, [])]]
        n = last + 1
    assert ids == expected
    assert len({i[1:] for i in ids}) == len(ids)  # no number repeats


def problems_of(pid: str, checked: str) -> list[str]:
    bad = []
    for part in checked.split(";"):
        kind = "inv" if re.search(r"\binv\b", part) else "assert" if "assert" in part else "name"
        for name in re.findall(r"`([a-z_]\w*)`", part):
            if kind == "inv" and name not in DECLARED and name not in ASSERT_LABELS:
                bad.append(f"{pid}: inv `{name}` is not an invariant or lemma in spec/")
            elif kind == "assert" and name not in ASSERT_LABELS and name not in WORDS:
                bad.append(f"{pid}: assert `{name}` is not in spec/")
            elif name not in WORDS:
                bad.append(f"{pid}: `{name}` is not in spec/")
        for message in re.findall(r"assert \"([^\"]+)\"", part):
            if message not in SPEC:
                bad.append(f"{pid}: the assert message \"{message}\" is not in spec/")
    return bad


def test_every_name_that_checks_a_property_is_in_the_spec() -> None:
    bad = [p for pid, checked, _, _ in rows() for p in problems_of(pid, checked)]
    assert not bad, "\n".join(bad)


def test_the_checker_would_notice_a_renamed_invariant() -> None:
    assert problems_of("X1", "inv `no_such_invariant`") == ["X1: inv `no_such_invariant` is not an invariant or "
                                                             "lemma in spec/"]
    assert problems_of("X1", "inv `queued_once`") == []


def test_every_file_and_variant_exists_and_its_header_names_the_property() -> None:
    bad = []
    for pid, _, files, broken in rows():
        for f in re.findall(r"\w+\.xm", files):
            if not (ROOT / "spec" / f).exists():
                bad.append(f"{pid}: spec/{f} does not exist")
        for variant in re.findall(r"`(\w+(?:-\w+)+)`", broken):  # variant names have a hyphen
            path = ROOT / "spec" / "bugs" / f"{variant}.xm"
            if not path.exists():
                bad.append(f"{pid}: spec/bugs/{variant}.xm does not exist")
                continue
            header = "".join(line for line in path.read_text().splitlines() if line.startswith("///"))
            if not re.search(rf"\b{pid}\b", header) and not any(
                    name in header for name in re.findall(r"`(\w+)`", DOC.split(f"**{pid}**")[1].split("\n")[0])):
                bad.append(f"{pid}: the header of {variant}.xm names neither {pid} nor a name that checks it")
    assert not bad, "\n".join(bad)


def test_every_bug_variant_is_on_the_page() -> None:
    missing = [p.stem for p in sorted((ROOT / "spec" / "bugs").glob("*.xm")) if f"`{p.stem}`" not in DOC]
    assert not missing, f"bug variants docs/properties.md does not name: {missing}"
