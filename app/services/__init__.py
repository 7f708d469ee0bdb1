"""Domain rules, plain Python: health, renewals, roll-ups, stakeholder graphs, the demo book."""
