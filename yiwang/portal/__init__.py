"""The public site (PC and mobile): home and search, browsing by life event, department and region,
item guide pages. Templates only call catalogue services and selectors."""
