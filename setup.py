"""Package list for setuptools: every ``app*`` package, plus resources/ as ``app.resources``."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["app", "app.*"]), "app.resources"],
    package_dir={"app.resources": "resources"},
)
