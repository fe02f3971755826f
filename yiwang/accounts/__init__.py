"""统一身份认证: citizens (自然人) and companies (法人) with their agents (经办人), real-name
assurance levels, one-time codes, the staff second factor, the log-in audit and the session
registry behind single log-out. The OpenID Connect provider (django-oauth-toolkit) takes its
claims from here."""
