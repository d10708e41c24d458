"""Blueprints: thin views over services. Only create_app imports them."""
