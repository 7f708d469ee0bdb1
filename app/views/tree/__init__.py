"""The account tree: its model (flattened visible rows over snapshots) and its panel."""
