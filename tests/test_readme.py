"""The README's first screen: the two commands a new user types. (Every other command block of the README
runs in tests/test_docs_commands.py.)"""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_the_two_commands_come_first():
    first_screen = README.split("## What is here")[0]
    blocks = re.findall(r"```\n(.*?)\n```", first_screen, re.S)
    assert blocks == ["pip install -e . && xenmodel check spec/xen.xm --max-depth 5",
                      "pip install -e '.[test]' && python -m pytest -q -n 2 --dist loadfile"]
