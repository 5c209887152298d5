"""Codes and tokens are random, high-entropy values: a SHA-256 digest identifies them
without keeping them, and can be looked up through an index."""

import hashlib


def digest(value: str) -> str:
    """Return the hex SHA-256 digest of ``value``."""
    return hashlib.sha256(value.encode()).hexdigest()
