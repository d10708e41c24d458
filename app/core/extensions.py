"""Process-wide clients, created by create_app (never at import time)."""
import redis


class RedisHolder:
    """Holds the Redis connection of this process."""

    def __init__(self):
        self._conn = None
        self.url = None

    def init(self, url):
        self.url = url
        self._conn = redis.Redis.from_url(url)

    def get(self):
        if self._conn is None:
            raise RuntimeError("Redis is not configured: call create_app() first")
        return self._conn


redis_client = RedisHolder()
settings = {}
