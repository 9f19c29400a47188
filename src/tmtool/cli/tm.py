"""tmtool tm commands."""
