// command: xenmodel parse {file}
model m
sort D = d[101]
var x: D -> D
init {
  choose a: D { choose b: D { choose c: D { x[a] := b  x[b] := c } } }
}
action a() { x := x }
