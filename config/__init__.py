"""Settings from the environment (and `.env` in development), read when the app is created."""
