"""tmtool terms commands."""
