"""Lint: events from one replay, rules as data, report formats."""
