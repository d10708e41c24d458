"""Frozen migration steps, NNNN_name.py, loaded by number (app/core/migrations)."""
