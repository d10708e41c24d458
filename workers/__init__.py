"""RQ jobs: thin functions that take ids, reload state and call services."""
