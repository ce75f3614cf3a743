"""okr-ledger: an event-sourced OKR backend."""
