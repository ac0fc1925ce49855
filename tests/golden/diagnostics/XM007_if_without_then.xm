// command: xenmodel parse {file}
model m
def pick(b: bool): int = if b 1 else 2
