// command: xenmodel parse {file}
model m
@cite("xen/common/domain.c:domain_create")
action create() { }
