"""Lemma inference for `xenmodel infer`."""
