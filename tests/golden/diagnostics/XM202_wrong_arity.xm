// command: xenmodel parse {file}
model m
def twice(n: int): int = 2 * n
invariant i: twice(1, 2) == 2
