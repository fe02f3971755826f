"""Who may use each page and operation of 好差评: ``EVALUATION_RULES`` names every URL of the
evaluation app (merged into tests/accounts/test_authorization.py's RULES); each part adds its
rows in its own block and the tests that exercise them, role by role."""

# Part B (差评整改, 申诉): tests/evaluation/test_rectify_authorization.py.
RECTIFY_HANDLER = ("好差评管理员 or 部门管理员 of the rating's department (大厅管理员 of its hall when no "
                   "department answers for it); another department's or hall's staff 404, "
                   "other staff 404")
RECTIFY_API = RECTIFY_HANDLER + "; citizens 403; anonymous 401; staff without the second factor 403"
APPEAL_REVIEWER = ("监察员 of the rating's region or a region above it (superuser); a supervisor of "
                   "another region 404, other staff 404")

EVALUATION_RULES: dict[str, str] = {
    # --- part B: 差评整改 and 申诉复核 ---
    "evaluation:rectification": ("the rater only (others, staff included, 404); anonymous → "
                                 "log-in"),
    "evaluation_staff:rectifications": ("好差评管理员, 部门管理员, 大厅管理员: only their departments' "
                                        "and halls' rows; other staff and citizens 403; "
                                        "anonymous → log-in"),
    "evaluation_staff:rectification": RECTIFY_HANDLER + "; citizens 404; anonymous → log-in",
    "evaluation_staff:appeals": ("监察员: appeals of their regions only; other staff and citizens "
                                 "403; anonymous → log-in"),
    "evaluation_staff:appeal": APPEAL_REVIEWER + "; citizens 404; anonymous → log-in",
    "api:rectification_list": ("staff: the rectifications they handle only (none for others); "
                               "citizens 403; anonymous 401"),
    "api:rectification_detail": RECTIFY_API, "api:rectification_verify": RECTIFY_API,
    "api:rectification_reply": RECTIFY_API, "api:rectification_revisit": RECTIFY_API,
    "api:rectification_appeal": RECTIFY_API,
    "api:appeal_list": ("staff: the appeals of the regions they supervise only (none for others); "
                        "citizens 403; anonymous 401"),
    "api:appeal_decide": APPEAL_REVIEWER + "; citizens 403; anonymous 401",
    # --- end of part B ---
    # --- part C, 好差评公示: public figures and anonymised ratings, for anyone
    # (tests/evaluation/test_stats_pages.py::test_every_statistics_url_is_public).
    **{f"evaluation:{name}": "public" for name in (
        "statistics", "ratings", "statistics-json", "statistics-csv")},
    "api:evaluation_statistics": "public",
    # --- end of part C
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
