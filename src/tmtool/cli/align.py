"""``tmtool align``: integration of segment, alignment and TMX writing."""
