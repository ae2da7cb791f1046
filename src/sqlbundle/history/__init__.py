"""The revision graph, ranges and plans, listings and Mermaid drawings."""
