"""File readers: plain Python, no Qt."""
