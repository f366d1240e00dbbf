"""Users, log-in and tokens, the log-in throttle, object-level access (:mod:`api.auth.policy`),
reading the audit log, demo users and the start-up checks; the admin routes and the log-in pages."""
