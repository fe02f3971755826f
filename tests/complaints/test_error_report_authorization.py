"""Who may use each URL of 曝光纠错 (public column and the editors' tasks), part C:
``ERROR_REPORT_RULES`` names every one (tests/accounts/test_authorization.py
checks that every URL of the site has a rule), and the tests below try each as every role."""

ERROR_REPORT_RULES: dict[str, str] = {}
