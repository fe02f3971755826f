"""Who may use each page and operation of 好差评: ``EVALUATION_RULES`` names every URL of the
evaluation app (merged into tests/accounts/test_authorization.py's RULES); each part adds its
rows in its own block and the tests that exercise them, role by role."""

EVALUATION_RULES: dict[str, str] = {
    # Part A, ratings (tests/evaluation/test_ratings_authorization.py).
    "evaluation:rate-token": ("public by the invitation's secret one-time token: rates that event "
                              "as the invited person only; unknown, forged, used or expired 404"),
    "evaluation:rate": ("signed-in person served: the case's applicant (or the company's "
                        "representative, as cases.access decides), the ticket's holder; anyone "
                        "signed in for 综合点评; somebody else's case or ticket 403 (staff too); "
                        "anonymous → log-in"),
    "evaluation:mine": "signed-in user: their own ratings only; anonymous → log-in",
    "evaluation:overall": "signed-in user, as themselves; anonymous → log-in",
    "evaluation_staff:reasons": ("system administrator or 区域管理员 (2FA); other staff and "
                                 "citizens 403; anonymous → log-in"),
    "evaluation_staff:inspections": ("监察员 (superuser): halls, departments and cases of their "
                                     "regions only (others 403); other staff and citizens 403; "
                                     "anonymous → log-in"),
    "api:evaluation_reasons": "public",
    "api:evaluation_rate": ("signed-in person served (as evaluation:rate); somebody else's case or "
                            "ticket 403; anonymous 401"),
    "api:evaluation_my_ratings": "signed-in user: their own ratings only; anonymous 401",
    "api:evaluation_rate_by_token": ("public by the invitation's one-time token; unknown, forged, "
                                     "used or expired 404"),
}
