"""Fieldbook: an offline desktop workbench for customer success managers."""

__version__ = "0.1.0"
