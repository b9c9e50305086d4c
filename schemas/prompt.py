"""The front matter of a prompt file, ``prompts/<task>/v<N>.md``."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class PromptFrontMatter(BaseModel):
    """A typo in a prompt file's front matter fails loudly rather than being ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(description="The task, equal to the folder name: 'extract'.")
    version: int = Field(ge=1, description="Equal to N in the file name v<N>.md.")
    description: str = Field(default="", description="One line on what changed in this version.")
