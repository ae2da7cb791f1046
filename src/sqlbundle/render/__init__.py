"""Rendering operations into statements, per dialect (see ``base.render_operation``)."""
