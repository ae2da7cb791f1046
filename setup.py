"""Ship the top-level dialects/ and templates/ folders inside the wheel.

They live outside src/ so that users can read and copy them; at build time they are copied to
sqlbundle/_data/, where sqlbundle.resources looks first.
"""

import os
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py

DATA_DIRS = ("dialects", "templates")


class BuildPyWithData(build_py):
    def run(self) -> None:
        super().run()
        here = os.path.dirname(os.path.abspath(__file__))
        for name in DATA_DIRS:
            src = os.path.join(here, name)
            if os.path.isdir(src):
                dst = os.path.join(self.build_lib, "sqlbundle", "_data", name)
                shutil.copytree(src, dst, dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildPyWithData})
