"""Who may use each page and operation of 好差评: ``EVALUATION_RULES`` names every URL of the
evaluation app (merged into tests/accounts/test_authorization.py's RULES); each part adds its
rows in its own block and the tests that exercise them, role by role."""

EVALUATION_RULES: dict[str, str] = {
    # --- part C, 好差评公示: public figures and anonymised ratings, for anyone
    # (tests/evaluation/test_stats_pages.py::test_every_statistics_url_is_public).
    **{f"evaluation:{name}": "public" for name in (
        "statistics", "ratings", "statistics-json", "statistics-csv")},
    "api:evaluation_statistics": "public",
    # --- end of part C
}
