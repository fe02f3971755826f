"""Who may use each page and operation of 好差评: ``EVALUATION_RULES`` names every URL of the
evaluation app (merged into tests/accounts/test_authorization.py's RULES); each part adds its
rows in its own block and the tests that exercise them, role by role."""

EVALUATION_RULES: dict[str, str] = {
}
