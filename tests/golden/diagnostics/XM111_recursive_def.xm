// command: xenmodel parse {file}
model m
def f(n: int): int = if n == 0 then 0 else g(n - 1)
def g(n: int): int = f(n)
invariant i: f(2) == 0
