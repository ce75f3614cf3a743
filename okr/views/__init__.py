"""Read models: one module per view, its handlers and SQL side by side, and their runner."""
