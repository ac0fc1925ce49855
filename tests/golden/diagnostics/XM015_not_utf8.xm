// command: xenmodel parse tests/golden/diagnostics/lib/latin1_model.txt
