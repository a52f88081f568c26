"""Internationale: a self-hosted platform for cross-border worker solidarity networks."""
