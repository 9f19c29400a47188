"""tmtool glossary commands."""
