// command: xenmodel parse {file}
model m
include "../../fixtures/features.xm"
