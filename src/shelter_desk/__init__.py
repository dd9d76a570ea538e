"""Shelter Desk: offline-first case management for anti-trafficking shelters."""

__version__ = "0.2.0"
