"""Python source laid out as a person (or black) would: calls and literals.

A ``Call`` is ``func(args, key=value)suffix`` (or, without ``func``, a list or tuple);
``layout`` puts it on one line when it fits, else its arguments together on the next line,
else one per line with a trailing comma, recursively. ``py_str`` writes a double-quoted
string literal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Call:
    """``func(args, key=value)suffix``, laid out on one line or wrapped."""

    func: str
    args: list[Any] = field(default_factory=list)
    kwargs: list[tuple[str, Any]] = field(default_factory=list)
    suffix: str = ""
    brackets: str = "()"


def seq(items: Iterable[Any], brackets: str = "[]") -> Call:
    """A list (or, with ``"()"``, a tuple) of nodes."""
    return Call("", list(items), brackets=brackets)


def flat(node: Any) -> str:
    """``node`` on one line."""
    if isinstance(node, str):
        return node
    parts = [flat(a) for a in node.args] + [f"{k}={flat(v)}" for k, v in node.kwargs]
    if node.brackets == "()" and not node.func and len(parts) == 1:
        parts[0] += ","  # a one-element tuple
    return f"{node.func}{node.brackets[0]}{', '.join(parts)}{node.brackets[1]}{node.suffix}"


def layout(node: Any, width: int, indent: int = 0, lead: str = "", trail: str = "") -> list[str]:
    """The lines of ``node`` within ``width``: on one line, else its arguments together on the
    next line, else one argument per line with a trailing comma (black's order of tries)."""
    pad = " " * indent
    one = f"{pad}{lead}{flat(node)}{trail}"
    if len(one) <= width or isinstance(node, str):
        return [one]
    items = [("", a) for a in node.args] + [(f"{k}=", v) for k, v in node.kwargs]
    opening = f"{pad}{lead}{node.func}{node.brackets[0]}"
    closing = f"{pad}{node.brackets[1]}{node.suffix}{trail}"
    hugged = " " * (indent + 4) + ", ".join(key + flat(v) for key, v in items)
    if len(hugged) <= width and not (node.brackets == "()" and not node.func and
                                     len(items) == 1):
        return [opening, hugged, closing]
    out = [opening]
    for key, value in items:
        out.extend(layout(value, width, indent + 4, key, ","))
    return out + [closing]


def py_str(text: str) -> str:
    """A double-quoted Python string literal; printable non-ASCII stays as it is."""
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch in "\n\r\t":
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}[ch])
        elif not ch.isprintable():
            out.append(repr(ch)[1:-1])
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'
