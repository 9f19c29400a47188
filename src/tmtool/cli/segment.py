"""``tmtool segment``: owned by the segmenter work (placeholder registration)."""
