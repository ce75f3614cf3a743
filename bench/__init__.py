"""The benchmark harness: each figure measured beside a raw baseline in the same run."""
