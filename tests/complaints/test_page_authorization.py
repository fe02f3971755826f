"""Who may use each URL of the 12345 pages (portal and workbench), part B:
``HOTLINE_PAGE_RULES`` names every one (tests/accounts/test_authorization.py
checks that every URL of the site has a rule), and the tests below try each as every role."""

HOTLINE_PAGE_RULES: dict[str, str] = {}
