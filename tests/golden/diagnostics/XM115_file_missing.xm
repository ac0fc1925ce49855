// command: xenmodel parse tests/golden/diagnostics/lib/does_not_exist.xm
model placeholder
