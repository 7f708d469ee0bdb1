"""Domain rules: plain Python, no Qt."""
