"""Operations: frozen values recorded from ``op.*`` calls (one module per kind; all named here).

Each knows how to fold itself into a ``SchemaState`` (``apply``) and how to describe itself for
people (``describe``). Operations do no I/O and know no dialect; renderers turn them into SQL
using the states before and after them.
"""

from __future__ import annotations

from .opbase import (  # noqa: F401
    Constraint,
    Operation,
    UNSET,
)
from .tableops import (  # noqa: F401
    CreateTable,
    DropTable,
    RenameTable,
    SetTableComment,
    with_enums,
)
from .columnops import (  # noqa: F401
    AddColumn,
    AlterColumn,
    DropColumn,
    Position,
)
from .constraintops import (  # noqa: F401
    AddConstraint,
    CreateIndex,
    DropConstraint,
    DropIndex,
    TYPE_NAMES,
    without_constraint,
)
from .enumops import (  # noqa: F401
    CreateEnum,
    DropEnum,
)
from .dataops import (  # noqa: F401
    BulkInsert,
    Execute,
)
