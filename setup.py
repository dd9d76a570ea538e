"""Ship the repository's resources/ (catalogues, fonts, icons) inside the package.

The source tree keeps them at the top level (translators and packagers look there); a built
wheel carries a copy at ``shelter_desk/_resources``, where ``shelter_desk.resources`` finds
it. Compiled ``.mo`` catalogues are made here so an installed package has them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithResources(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "shelter_desk" / "_resources"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(ROOT / "resources", target, ignore=shutil.ignore_patterns("*.mo"))
        for po in target.glob("i18n/*/LC_MESSAGES/*.po"):
            with po.open("rb") as fh:
                catalog = read_po(fh, locale=po.parent.parent.name)
            with po.with_suffix(".mo").open("wb") as fh:
                write_mo(fh, catalog)


setup(cmdclass={"build_py": BuildWithResources})
