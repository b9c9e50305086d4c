"""From an article to a grounded result: prompt, model call, validation, grounding."""
