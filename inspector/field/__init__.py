"""The phone app for field work (/field/): inspect and fix findings with or without a network."""
