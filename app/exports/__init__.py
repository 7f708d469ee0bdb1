"""File writers: plain Python, no Qt."""
