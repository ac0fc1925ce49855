"""`xenmodel infer`: lemmas found instead of written (docs/proofs.md).

grammar (atoms over the model's types, per scope of quantified variables) -> filter (atoms evaluated
on reachable states; the implications that held become candidates) -> houdini (the largest inductive
subset) -> minimise (the fewest lemmas the targets need, chosen by CTIs). engine.py runs them;
obligations.py asks checkers/smt's consecution queries.
"""
