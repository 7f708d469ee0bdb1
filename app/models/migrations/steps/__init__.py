"""Steps of one release's revision, each one job's schema change, run in order."""
