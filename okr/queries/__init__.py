"""Read-only questions that combine views: history, as-of answers, health, coaching, the
alignment tree."""
