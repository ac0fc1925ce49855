// command: xenmodel parse {file}
model m
@ref("vcpu_wake")
action wake() { }
