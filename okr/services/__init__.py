"""Application services: one method per command, on top of the event store."""
