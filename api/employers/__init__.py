"""Employers: their CRM notes, roles and tasks, the Ratko sheet, needs and network status, and
the candidate requests a Rekrypiste worker sends; schemas, services, routes, pages and the
employer page's flow."""
