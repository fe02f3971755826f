"""yiwang-verify: a stand-alone verifier for what the platform exports.

It needs Python 3.11+ and nothing of the platform: no Django, no database, no settings. Anyone
holding an export (audit records, signed checkpoints, an archival package) and the platform's
published public key can check it. Run ``python -m verifier --help`` from the repository root, or
copy this directory anywhere.
"""
