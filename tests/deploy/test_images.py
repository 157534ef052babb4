"""The images: one Dockerfile per service, small, non-root, with a health check and no secrets, and every
file the services read at run time shipped in the package they install.

No Docker engine runs on the development machines, so nothing is built here: the files are read.
"""

import fnmatch
import re
import tomllib

import pytest

from tests.deploy.services import SETTINGS, dockerfile_of, port_of
from tests.support.tools import ROOT

SECRET_NAMES = re.compile(r"(SECRET|PASSWORD|TOKEN|_KEY\b|PRIVATE)", re.IGNORECASE)


def instructions(dockerfile: str, keyword: str) -> list[str]:
    return [line.split(None, 1)[1] for line in dockerfile.splitlines() if line.startswith(f"{keyword} ")]


@pytest.mark.parametrize("service", sorted(SETTINGS))
def test_each_service_has_its_own_dockerfile(service: str) -> None:
    dockerfile = dockerfile_of(service)
    assert instructions(dockerfile, "CMD") == [f'["python", "-m", "services.{service}"]']
    assert instructions(dockerfile, "EXPOSE") == [str(port_of(service))]
    assert f"PORT={port_of(service)}" in instructions(dockerfile, "ENV")[0]
    [healthcheck] = instructions(dockerfile, "HEALTHCHECK")
    assert healthcheck.endswith('CMD ["python", "-m", "shared.healthcheck"]')
    # Small: a slim base, the build tools left in the build stage; never the moving `latest`.
    bases = instructions(dockerfile, "FROM")
    assert len(bases) == 2 and all(base.startswith("python:3.11-slim") for base in bases)
    # Non-root, by number, so that Kubernetes' runAsNonRoot can check it.
    [user] = instructions(dockerfile, "USER")
    assert user.split(":")[0].isdigit() and user.split(":")[0] != "0"
    for keyword in ("ENV", "ARG"):
        for line in instructions(dockerfile, keyword):
            assert not SECRET_NAMES.search(line), f"{service}: a secret baked into the image? {line}"


def test_the_image_context_leaves_out_secrets_and_local_state() -> None:
    ignored = set((ROOT / ".dockerignore").read_text().splitlines())
    assert {".git", ".venv", ".env", ".env.*", "tests", "**/tests", "test-artifacts"} <= ignored


def test_every_file_the_services_read_ships_in_the_package() -> None:
    """The images `pip install .`: a data file whose kind package-data misses would be missing there."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["package-data"]["*"]
    data_files = [path for package in ("shared", "services") for path in (ROOT / package).rglob("*")
                  if path.is_file() and path.suffix not in (".py", ".pyc") and path.name != "README.md"
                  and not {"tests", "__pycache__"} & set(path.relative_to(ROOT).parts)]
    assert data_files, "no data files found: the check checks nothing"
    missed = [str(path.relative_to(ROOT)) for path in data_files
              if not any(fnmatch.fnmatch(path.name, pattern) for pattern in patterns)]
    assert missed == [], f"add their kinds to [tool.setuptools.package-data] in pyproject.toml: {missed}"
