"""The template environment: compiled once per templates folder and process."""

from __future__ import annotations

from sqlbundle.project import templating


def test_a_template_is_compiled_once_per_process(tmp_path, monkeypatch):
    # A bundle renders the step template once per step: compiling it each time cost more
    # than rendering the SQL (10 s of a 1,000-step bundle).
    (tmp_path / "note.j2").write_text("{{ x }}!\n")
    compiled = []
    env = templating.environment(tmp_path)
    original = env.compile
    monkeypatch.setattr(env, "compile", lambda *a, **k: compiled.append(a) or original(*a, **k))
    outputs = [templating.render("note.j2", tmp_path, x=i) for i in range(3)]
    assert outputs == ["0!\n", "1!\n", "2!\n"]
    assert len(compiled) == 1
    assert templating.environment(tmp_path) is env
