"""Domain services: plain functions over ids and values, no flask.request."""
