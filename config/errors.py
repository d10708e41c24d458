"""The error every settings check raises: the process refuses to start with its message."""


class ConfigError(RuntimeError):
    """A required setting is missing or invalid."""
