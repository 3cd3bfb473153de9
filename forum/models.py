"""Forums, topics, posts (models are written by the forum module)."""
