"""`xenmodel infer`: lemmas found instead of written (docs/proofs.md).

grammar (atoms over the model's types, per scope of quantified variables) -> filter (atoms evaluated
on reachable states, compiled by evaluate.py; the implications that held become candidates:
candidates.py) -> minimise (the fewest lemmas the targets need, chosen by CTIs) with houdini's rule
(candidates refuted by the CTIs no candidate removes). engine.py runs them; obligations.py asks
checkers/smt's consecution queries. pdr.py (with pdr_state and pdr_render) is the other engine of
`infer --engine pdr`: Z3's Spacer on the same transition relation, its invariant checked and rendered.
"""
