"""The living archive: situated knowledge, cross-referenced to find common corporate actors."""
