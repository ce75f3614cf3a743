"""The OKR domain: aggregates, events, value rules and coaching advice. No I/O."""
