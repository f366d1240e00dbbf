"""The application services: one function per use case, shared by the API routes, the web UI
and the CLI.

Each takes a :class:`~api.services.context.Context` (session, acting user, match index, active
re-ranker) and typed inputs, and returns a typed result. It owns what must happen once and the
same way for every caller: object-level access (:mod:`api.services.policy`), the audit row, the
stored suggestion, version stamping (rule set and model), attribution from the acting user
(never from the request), and the commit. Routes, pages and commands validate, call one of
these and format the answer.
"""
