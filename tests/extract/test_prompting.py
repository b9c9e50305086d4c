"""Prompt files: versions on disk, front matter checked, templates strict, hash kept."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from pipeline.errors import PromptError
from pipeline.extract.prompting import available_versions, default_prompts_dir, load_prompt

GOOD = """---
id: extract
version: {version}
---
# System
Be careful.

# User
Article {{{{ article_id }}}}:
{{{{ article }}}}
"""


def write_prompt(root: Path, version: int, text: str | None = None) -> Path:
    path = root / "extract" / f"v{version}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text if text is not None else GOOD.format(version=version), encoding="utf-8")
    return path


def test_the_installed_extract_prompt_renders_the_article_verbatim() -> None:
    prompt = load_prompt("extract", 1)
    article = "He said: “It’s {not} a {{template}}.”\n  Indented line."
    system, user = prompt.render(article=article, article_id="x1")
    assert system["role"] == "system" and system["content"]
    assert article in user["content"]
    assert prompt.ref.sha256 == hashlib.sha256(prompt.path.read_bytes()).hexdigest()
    assert prompt.path.parent.parent == default_prompts_dir()


def test_the_newest_version_is_the_default(tmp_path: Path) -> None:
    write_prompt(tmp_path, 1)
    write_prompt(tmp_path, 3)
    (tmp_path / "extract" / "notes.md").write_text("not a version", encoding="utf-8")
    assert available_versions("extract", prompts_dir=tmp_path) == [1, 3]
    assert load_prompt("extract", prompts_dir=tmp_path).ref.version == 3


def test_a_missing_version_names_the_ones_available(tmp_path: Path) -> None:
    write_prompt(tmp_path, 1)
    with pytest.raises(PromptError, match="no version 2; available: v1"):
        load_prompt("extract", 2, prompts_dir=tmp_path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            GOOD.format(version=1).replace("version: 1", "verison: 1"),
            "bad front matter",
            id="typo-in-front-matter-key",
        ),
        pytest.param(GOOD.format(version=2), "version=2", id="version-disagrees-with-file-name"),
        pytest.param(
            GOOD.format(version=1).replace("# User", "# Usr"),
            "expected a '# System' then a '# User' section",
            id="missing-user-section",
        ),
        pytest.param(
            GOOD.format(version=1).replace("{{ article }}", "{{ article "),
            "template error",
            id="unclosed-placeholder",
        ),
    ],
)
def test_a_malformed_prompt_file_fails_loudly(tmp_path: Path, text: str, message: str) -> None:
    write_prompt(tmp_path, 1, text)
    with pytest.raises(PromptError, match=message):
        load_prompt("extract", 1, prompts_dir=tmp_path)


def test_a_placeholder_the_pipeline_does_not_give_fails_at_render(tmp_path: Path) -> None:
    write_prompt(tmp_path, 1, GOOD.format(version=1).replace("{{ article }}", "{{ artcle }}"))
    prompt = load_prompt("extract", 1, prompts_dir=tmp_path)
    with pytest.raises(PromptError, match="artcle"):
        prompt.render(article="text", article_id="a")
