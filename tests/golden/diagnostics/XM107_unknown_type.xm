// command: xenmodel parse {file}
model m
sort PCpu = pcpu[2]
var curr: PCPU -> bool
