"""Proposals: the proposal and its outcomes, overrides of a stored suggestion, left-out tasks,
and the follow-up after a hire."""
