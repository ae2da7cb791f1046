"""The revision history as a Mermaid flowchart (rendered by code-review sites)."""

from __future__ import annotations

from collections.abc import Iterable

from .graph import RevisionGraph


def _escape(text: str) -> str:
    # Mermaid labels are inside double quotes; entity codes keep quotes and markup literal.
    return (text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;")
            .replace(">", "#gt;"))


def node_id(rev: str) -> str:
    return "r_" + "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in rev)


def render_mermaid(graph: RevisionGraph, revisions: Iterable[str] | None = None,
                   *, short: int = 12) -> str:
    """Flowchart from bases (top) to heads (bottom); depends_on edges are dotted."""
    members = graph.topo_sorted(revisions if revisions is not None else graph.revisions)
    included = set(members)
    heads = set(graph.heads)
    lines = ["flowchart TD"]
    for rev in members:
        script = graph.get(rev)
        label = _escape(rev[:short])
        if script.branch_labels:
            label += " #91;" + _escape(", ".join(script.branch_labels)) + "#93;"
        if script.message:
            label += "<br/>" + _escape(script.message[:60])
        lines.append(f'    {node_id(rev)}["{label}"]')
    for rev in members:
        for parent in graph.get(rev).down_revisions:
            if parent in included:
                lines.append(f"    {node_id(parent)} --> {node_id(rev)}")
        for dep in graph.dependencies(rev):
            if dep in included:
                lines.append(f"    {node_id(dep)} -.->|depends on| {node_id(rev)}")
    head_nodes = [node_id(r) for r in members if r in heads]
    merge_nodes = [node_id(r) for r in members if len(graph.get(r).down_revisions) > 1]
    if head_nodes:
        lines.append("    classDef head stroke-width:3px")
        lines.append("    class " + ",".join(head_nodes) + " head")
    if merge_nodes:
        lines.append("    classDef merge stroke-dasharray:4 2")
        lines.append("    class " + ",".join(merge_nodes) + " merge")
    return "\n".join(lines) + "\n"
