"""One blueprint per portal area."""
