"""The Qt layer: windows, widgets, item models and undo commands. Only this package imports Qt."""
