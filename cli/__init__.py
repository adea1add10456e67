"""The `rubric` command line: a thin shell over engine/ (see cli.main)."""
