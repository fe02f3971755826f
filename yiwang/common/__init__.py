"""Shared building blocks that belong to no capability: domain errors, identifier validators,
pagination, the error-page decorator of views and the audit helpers. Imports no other yiwang app."""
