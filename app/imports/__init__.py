"""Reading CRM exports (CSV and Excel) into the workspace: mapping, validation, commit, undo."""
