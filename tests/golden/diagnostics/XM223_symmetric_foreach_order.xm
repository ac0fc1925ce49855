// command: xenmodel parse {file}
model m
symmetric sort Dom = dom[2]
var order: seq<Dom, 2>
/// Queue every domain (in value order: not symmetric).
action enqueue_all() {
  order := []
  foreach d: Dom {
    order := order ++ [d]
  }
}
