"""Who may use which case-handling URL; the rows of the site-wide rule table
(tests/accounts/test_authorization.py) for these URLs."""

CASE_PORTAL_RULES: dict[str, str] = {}
