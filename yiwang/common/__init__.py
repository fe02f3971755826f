"""Shared building blocks that belong to no capability: domain errors, identifier validators,
pagination and the audit helpers. Imports no other yiwang app."""
