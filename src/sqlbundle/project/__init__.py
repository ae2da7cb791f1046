"""Project configuration, templates and scaffolding of new files."""
