"""Storage: the tables, the repository and records, the audit trail, history, bulk loading,
backup and the migrations' runner."""
