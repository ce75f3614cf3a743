"""Audit over the whole event log: every domain rule re-validated in log order (`okr check`)."""
