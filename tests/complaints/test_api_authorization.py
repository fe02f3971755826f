"""Who may use each URL of the 12345 API (/api/complaints/…), part A:
``HOTLINE_API_RULES`` names every one (tests/accounts/test_authorization.py
checks that every URL of the site has a rule), and the tests below try each as every role."""

HOTLINE_API_RULES: dict[str, str] = {}
