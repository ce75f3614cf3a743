"""Adapters to the outside world: storage settings, read stores, auth, delivery."""
