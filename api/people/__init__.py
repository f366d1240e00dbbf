"""People: profiles, the caseload, hand-overs between coordinators and the timeline; schemas,
services, routes, pages and the person page's flow."""
