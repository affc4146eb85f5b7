"""The README works as written: every `make` command it shows exists, and its
table says why each dependency in pyproject.toml is there."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def name(requirement: str) -> str:
    """'psycopg[binary]>=3.2,<4' -> 'psycopg' (names compared as pip does)."""
    return re.split(r"[\[<>=!~; ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_the_readme_says_why_each_dependency_is_there():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    required = {name(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        required |= {name(r) for r in extra}
    section = README.split("## Dependencies and why", 1)[1]
    explained = set()
    for row in re.findall(r"^\| ([^|]+) \| [^|]+ \|$", section, re.M):
        explained |= {name(re.sub(r"\(.*?\)", "", cell)) for cell in row.split(",")}
    assert sorted(required - explained) == []


def test_every_make_command_in_the_readme_exists():
    targets = set(re.findall(r"^([a-z][\w-]*):", (ROOT / "Makefile").read_text(), re.M))
    blocks = "\n".join(re.findall(r"```sh\n(.*?)```", README, re.S))
    shown = set(re.findall(r"^(?:[A-Z_]+=\S+ )*make ([a-z][\w-]*)", blocks, re.M))
    shown |= set(re.findall(r"`(?:[A-Z_]+=\S+ )*make ([a-z][\w-]*)", README))
    assert {"run", "test"} <= shown
    assert sorted(shown - targets) == []


def test_the_first_screen_says_how_to_run_and_test():
    first_screen = "\n".join(README.splitlines()[:20])
    assert "make run" in first_screen and "make test" in first_screen
