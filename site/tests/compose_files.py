"""Read compose.yml, .env.example, the Dockerfile and .dockerignore as Docker would.

There is no Docker engine on the CI machines, so test_compose.py and test_entrypoints.py check
these files by parsing them. Loaded by path from those modules (see ``load_helpers`` there).
"""

from __future__ import annotations

import os
import re
import secrets
import shlex
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
ENV_EXAMPLE = ROOT / ".env.example"

# $$ | ${NAME} ${NAME:-default} ${NAME-default} ${NAME:?error} ${NAME?error} | $NAME
_VARIABLE = re.compile(
    r"\$\$|\$\{(?P<name>[A-Za-z_]\w*)(?:(?P<op>:?[-?+])(?P<arg>[^}]*))?\}|\$(?P<bare>[A-Za-z_]\w*)"
)


# What an operator must set (compose refuses to start without it): a key of this run's own.
REQUIRED = {"SECRET_KEY": secrets.token_urlsafe(50)}


class MissingVariable(Exception):
    pass


def interpolate(text: str, env: dict[str, str]) -> str:
    """Compose's variable interpolation (the subset compose.yml uses)."""

    def replace(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group("name") or match.group("bare")
        op, arg = match.group("op"), match.group("arg") or ""
        value = env.get(name)
        unset_or_empty = value is None or (op is not None and op.startswith(":") and not value)
        if op in ("-", ":-"):
            return arg if unset_or_empty else value
        if op in ("?", ":?"):
            if unset_or_empty:
                raise MissingVariable(f"{name}: {arg}")
            return value
        if op in ("+", ":+"):
            return "" if unset_or_empty else arg
        return value or ""

    return _VARIABLE.sub(replace, text)


def _interpolate_tree(node, env):
    if isinstance(node, str):
        return interpolate(node, env)
    if isinstance(node, list):
        return [_interpolate_tree(item, env) for item in node]
    if isinstance(node, dict):
        return {key: _interpolate_tree(value, env) for key, value in node.items()}
    return node


def load_compose(env: dict[str, str] | None = None) -> dict:
    """compose.yml with YAML anchors merged and variables interpolated from ``env`` (default:
    none set, so every default applies)."""
    return _interpolate_tree(yaml.safe_load(COMPOSE.read_text()), env or {})


def compose_variables() -> dict[str, str | None]:
    """Each ${VARIABLE} compose.yml reads, with its default (None when it has none)."""
    found: dict[str, str | None] = {}
    for match in _VARIABLE.finditer(COMPOSE.read_text()):
        name = match.group("name") or match.group("bare")
        if name is None:
            continue
        default = match.group("arg") if match.group("op") in ("-", ":-") else None
        found.setdefault(name, default)
    return found


def read_env_file(path: Path = ENV_EXAMPLE) -> dict[str, str]:
    """A dotenv file as compose reads it: KEY=value lines, optional quotes, # comments."""
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        else:
            value = value.split(" #", 1)[0].strip()
        values[key.strip()] = value
    return values


def healthcheck_shell(test: list[str] | str) -> list[str]:
    """A compose healthcheck ``test`` as an argv to run here."""
    if isinstance(test, str):
        return ["sh", "-c", test]
    kind, *rest = test
    if kind == "CMD-SHELL":
        return ["sh", "-c", rest[0]]
    assert kind == "CMD", test
    return rest


# --- Dockerfile ------------------------------------------------------------------------------


@dataclass
class Instruction:
    keyword: str
    arguments: str

    def words(self) -> list[str]:
        return shlex.split(self.arguments)

    def command(self) -> str:
        """A RUN's shell command, without its BuildKit options (--mount=..., --network=...)."""
        text = self.arguments
        while text.startswith("--"):
            text = text.split(None, 1)[1]
        return text


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[Instruction] = field(default_factory=list)

    def all(self, keyword: str) -> list[Instruction]:
        return [i for i in self.instructions if i.keyword == keyword]

    def env(self) -> dict[str, str]:
        values: dict[str, str] = {}
        for instruction in self.all("ENV"):
            for word in instruction.words():
                key, _, value = word.partition("=")
                values[key] = value
        return values

    def runs(self) -> list[str]:
        return [instruction.command() for instruction in self.all("RUN")]


def dockerfile_stages(path: Path = DOCKERFILE) -> list[Stage]:
    logical, current = [], ""
    for raw in path.read_text().splitlines():
        stripped = raw.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if current and stripped.startswith("#"):
            continue  # a comment inside a continued instruction
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        logical.append(current + stripped)
        current = ""
    args: dict[str, str] = {}
    stages: list[Stage] = []
    for line in logical:
        keyword, _, arguments = line.partition(" ")
        keyword, arguments = keyword.upper(), arguments.strip()
        if keyword == "ARG" and not stages:
            name, _, default = arguments.partition("=")
            args[name] = default
        elif keyword == "FROM":
            words = interpolate(arguments, args).split()
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            stages.append(Stage(base=words[0], name=name))
        else:
            stages[-1].instructions.append(Instruction(keyword, arguments))
    return stages


def exec_form(instruction: Instruction) -> list[str]:
    """CMD/ENTRYPOINT/HEALTHCHECK CMD in JSON (exec) form as a list."""
    import json

    text = instruction.arguments
    if instruction.keyword == "HEALTHCHECK":
        text = text[text.index("CMD") + 3 :].strip()
    return json.loads(text)


# --- .dockerignore ---------------------------------------------------------------------------


def _pattern_regex(pattern: str) -> re.Pattern:
    parts = []
    for piece in re.split(r"(\*\*/?|\*|\?)", pattern.strip("/")):
        if piece in ("**", "**/"):
            parts.append(".*")
        elif piece == "*":
            parts.append("[^/]*")
        elif piece == "?":
            parts.append("[^/]")
        else:
            parts.append(re.escape(piece))
    return re.compile("".join(parts) + r"\Z")


def build_context(root: Path = ROOT) -> list[str]:
    """Files (relative paths) Docker sends as the build context: the last matching
    .dockerignore pattern decides; a pattern matching a parent folder matches its files."""
    patterns = []
    for line in DOCKERIGNORE.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            negated = line.startswith("!")
            patterns.append((negated, _pattern_regex(line.lstrip("!"))))

    def ignored(relative: str) -> bool:
        pieces = relative.split("/")
        candidates = ["/".join(pieces[: i + 1]) for i in range(len(pieces))]
        verdict = False
        for negated, regex in patterns:
            if any(regex.match(candidate) for candidate in candidates):
                verdict = not negated
        return verdict

    files = []
    # Not entered at all (large, and never part of the image whatever the patterns say).
    skipped = {".git", ".venv", ".tox", "node_modules", "var", ".hypothesis", ".ruff_cache"}
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d not in skipped]
        for name in names:
            relative = os.path.relpath(os.path.join(folder, name), root)
            if not ignored(relative):
                files.append(relative)
    return sorted(files)


def copy_sources(stage: Stage) -> list[tuple[list[str], str]]:
    """(sources, destination) of each COPY from the build context (not --from=)."""
    copies = []
    for instruction in stage.all("COPY"):
        words = instruction.words()
        if any(word.startswith("--from") for word in words):
            continue
        words = [word for word in words if not word.startswith("--")]
        copies.append((words[:-1], words[-1]))
    return copies
