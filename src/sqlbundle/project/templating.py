"""jinja2 environment: the project's ``templates_dir`` first, then the packaged templates."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import ConfigError


def _pyrepr(value: Any) -> str:
    """Python literal for metadata: strings single-quoted-free, tuples stay tuples."""
    if isinstance(value, tuple) and len(value) == 1:
        return f"({_pyrepr(value[0])},)"
    if isinstance(value, tuple):
        return "(" + ", ".join(_pyrepr(v) for v in value) + ")"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)


@lru_cache(maxsize=8)
def environment(templates_dir: Path | None = None) -> Any:
    """One environment per templates folder and process: jinja2 compiles a template once per
    environment, and a bundle renders the step template thousands of times."""
    import jinja2

    from ..resources import data_dir

    search = [str(data_dir("templates"))]
    if templates_dir is not None:
        search.insert(0, str(templates_dir))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search),
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
    )
    env.filters["pyrepr"] = _pyrepr
    return env


def render(name: str, templates_dir: Path | None = None, **context: Any) -> str:
    """Render template ``name``; a broken user template is a ConfigError naming it."""
    import jinja2

    env = environment(templates_dir)
    try:
        template = env.get_template(name)
        return template.render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise ConfigError(f"template syntax error: {exc.message}", path=exc.filename,
                          line=exc.lineno) from None
    except jinja2.TemplateNotFound:
        raise ConfigError(f"template {name!r} not found", hint="check templates_dir") from None
    except jinja2.UndefinedError as exc:
        raise ConfigError(f"template {name!r}: {exc.message}") from None
