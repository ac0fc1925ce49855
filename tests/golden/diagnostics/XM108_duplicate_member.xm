// command: xenmodel parse {file}
model m
enum RunState { running, runnable, running }
