"""Which signed-in menu the site header shows."""

from django import template

from yiwang.accounts.services import citizen_of

register = template.Library()


@register.simple_tag
def account_menu(user) -> str:
    """``citizen`` (我的办件, 我的证照, 我的账户), ``staff`` (工作台, 我的账户) once the second
    factor is passed, ``pending`` (only 退出) while a staff member's log-in still awaits it, or
    "" for a visitor. Staff act for departments, not for themselves: no citizen items."""
    if not user.is_authenticated:
        return ""
    # Only staff have a second factor, so a verified session is a staff member's; the citizen
    # record is usually loaded already by the page. No extra query on most pages.
    if user.is_verified():
        return "staff"
    return "citizen" if citizen_of(user) is not None else "pending"
