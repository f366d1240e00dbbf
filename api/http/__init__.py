"""The HTTP plumbing under every domain's routes and pages: the request's context and user,
errors to statuses, security headers, rate limits, the access log, lanes for heavy work, the
listeners, CSRF, form problems, path parameters and the shared page plumbing with its
templates and static files. It imports no domain."""
