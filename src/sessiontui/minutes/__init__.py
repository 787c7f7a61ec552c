"""Minutes: one view-model of a session as it happened, and its renderers."""
