"""File writers and figure builders: plain Python, no Qt."""
