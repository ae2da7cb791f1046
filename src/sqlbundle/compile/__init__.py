"""Plan -> compiled steps: record, replay, render and check statements."""
