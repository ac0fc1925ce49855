// command: xenmodel parse {file}
model m
include "/etc/shadow.xm"
