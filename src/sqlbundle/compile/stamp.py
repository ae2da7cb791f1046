"""``stamp``: only the version-table statements that mark a database as at a revision."""

from __future__ import annotations

from ..history.plan import VersionChange
from ..profile import Profile, parse_target
from ..project.model import Project
from ..render.context import RenderContext, Statement, sa_dialect
from ..render.versiontable import change_statements, check_version_ids, create_statements
from ..source.script import Script
from .steps import CompiledPlan, CompiledStep


def compile_stamp(project: Project, revision_text: str, target: str | Profile
                  ) -> CompiledPlan:
    """Only the version-table statements of ``stamp [FROM:]TO`` (see ``plan_stamp``): without
    FROM the table is created if missing and set to TO; from FROM, rows change one by one."""
    from ..history.plan import plan_stamp

    profile = parse_target(target)
    plan = plan_stamp(project.graph, revision_text)
    ctx = RenderContext(profile, sa_dialect(profile))
    config = project.config
    for rev in plan.end:
        check_version_ids(VersionChange(insert=(rev,)), config.version_num_length,
                           project.graph.get(rev))
    steps: list[CompiledStep] = []
    if not plan.start:
        (step,) = plan.steps
        creates = create_statements(ctx, config.version_table, config.version_table_schema,
                                    config.version_num_length)
        table = ctx.table_name(config.version_table, config.version_table_schema)
        clear = Statement(f"DELETE FROM {table}", dml=True)
        inserts = change_statements(ctx, config.version_table, config.version_table_schema,
                                    VersionChange(insert=plan.end))
        fake = Script(step.revision, message=f"stamp {revision_text}")
        steps.append(CompiledStep(step, fake, (), (), tuple([clear] + inserts), tuple(creates)))
    for step in plan.steps if plan.start else ():
        fake = Script(step.revision, message=f"stamp {revision_text}")
        rows = change_statements(ctx, config.version_table, config.version_table_schema,
                                 step.version)
        steps.append(CompiledStep(step, fake, (), (), tuple(rows), ()))
    return CompiledPlan(profile, plan, revision_text, tuple(steps), (), config.version_table,
                        config.version_table_schema)
