"""Load versioned prompt files and render them into chat messages.

A prompt file is ``prompts/<task>/v<N>.md``: YAML front matter (``id``, ``version``), then a
``# System`` and a ``# User`` section, rendered with Jinja2. A released version is never edited;
a change is a new file, so that every stored result names the exact text that produced it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import frontmatter
import jinja2
import pydantic
import yaml

from pipeline.errors import PromptError
from schemas.prompt import PromptFrontMatter
from schemas.records import PromptRef

_VERSION_FILE = re.compile(r"^v(?P<version>[1-9][0-9]*)\.md$")
_SECTION = re.compile(r"^# (?P<name>System|User)[ \t]*$", re.MULTILINE)
_JINJA = jinja2.Environment(
    undefined=jinja2.StrictUndefined, keep_trailing_newline=False, autoescape=False
)


def default_prompts_dir() -> Path:
    """The prompts installed with the package (the repository's ``prompts/`` when editable)."""
    spec = importlib.util.find_spec("prompts")
    locations = list(spec.submodule_search_locations or []) if spec else []
    if not locations:
        raise PromptError("the 'prompts' folder is not installed; reinstall newsextract")
    return Path(locations[0])


@dataclass(frozen=True)
class Prompt:
    """One version of one task's prompt, ready to render."""

    ref: PromptRef
    path: Path
    system: jinja2.Template
    user: jinja2.Template

    def render(self, **variables: Any) -> list[dict[str, str]]:
        """Chat messages for these variables; a variable the file uses but is not given fails."""
        try:
            return [
                {"role": "system", "content": self.system.render(**variables).strip()},
                {"role": "user", "content": self.user.render(**variables).strip()},
            ]
        except jinja2.UndefinedError as exc:
            raise PromptError(
                f"{self.path}: {exc.message}; the pipeline gives {sorted(variables)}",
                path=self.path,
                task=self.ref.id,
                prompt_version=self.ref.version,
            ) from exc


def available_versions(task: str, *, prompts_dir: Path | None = None) -> list[int]:
    """Versions of ``task`` on disk, oldest first."""
    folder = (prompts_dir or default_prompts_dir()) / task
    if not folder.is_dir():
        return []
    versions = [
        int(match["version"])
        for path in folder.iterdir()
        if (match := _VERSION_FILE.match(path.name))
    ]
    return sorted(versions)


def load_prompt(
    task: str, version: int | None = None, *, prompts_dir: Path | None = None
) -> Prompt:
    """Load ``prompts/<task>/v<version>.md``; the newest version when ``version`` is None."""
    root = prompts_dir or default_prompts_dir()
    versions = available_versions(task, prompts_dir=root)
    if not versions:
        raise PromptError(f"no prompt files for task {task!r} under {root / task}", task=task)
    if version is None:
        version = versions[-1]
    if version not in versions:
        raise PromptError(
            f"prompt {task!r} has no version {version}; available: "
            + ", ".join(f"v{v}" for v in versions),
            task=task,
            prompt_version=version,
        )
    return _parse(root / task / f"v{version}.md", task=task, version=version)


def _parse(path: Path, *, task: str, version: int) -> Prompt:
    raw = path.read_bytes()
    try:
        post = frontmatter.loads(raw.decode("utf-8"))
        meta = PromptFrontMatter.model_validate(post.metadata)
    except (UnicodeDecodeError, yaml.YAMLError, pydantic.ValidationError) as exc:
        raise PromptError(f"{path}: bad front matter: {exc}", path=path, task=task) from exc
    if meta.id != task or meta.version != version:
        raise PromptError(
            f"{path}: front matter says id={meta.id!r} version={meta.version}, but the file is "
            f"{task}/v{version}.md; make them agree",
            path=path,
            task=task,
            prompt_version=version,
        )
    sections = _split_sections(post.content, path=path)
    try:
        system, user = (_JINJA.from_string(sections[name]) for name in ("System", "User"))
    except jinja2.TemplateSyntaxError as exc:
        raise PromptError(
            f"{path}: template error line {exc.lineno}: {exc.message}",
            path=path,
            task=task,
            prompt_version=version,
        ) from exc
    ref = PromptRef(id=meta.id, version=meta.version, sha256=hashlib.sha256(raw).hexdigest())
    return Prompt(ref=ref, path=path, system=system, user=user)


def _split_sections(body: str, *, path: Path) -> dict[str, str]:
    headings = list(_SECTION.finditer(body))
    names = [heading["name"] for heading in headings]
    if names != ["System", "User"]:
        raise PromptError(
            f"{path}: expected a '# System' then a '# User' section, found {names or 'none'}",
            path=path,
        )
    system, user = headings
    return {"System": body[system.end() : user.start()], "User": body[user.end() :]}
