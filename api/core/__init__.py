"""What every domain's service shares: the acting user, the match index holder and the errors
(:mod:`api.core.runtime`), a use case's context, roles and permissions, settings, the index
snapshots, the purposes a read is audited with, the UI's words and small shared schemas. No
HTTP here: the services are called by routes, pages and the CLI alike."""
