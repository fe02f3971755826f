"""Who may use each URL of the Open311 GeoReport v2 interface, part D:
``OPEN311_RULES`` names every one (tests/accounts/test_authorization.py
checks that every URL of the site has a rule), and the tests below try each as every role."""

OPEN311_RULES: dict[str, str] = {}
