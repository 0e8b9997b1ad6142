"""Who a request is from, the same way for every kind of payload (slash command, button, event, Home tab, enterprise
grid): Bolt's context, which reads the installation's team from wherever Slack put it for that kind of payload."""
from __future__ import annotations


def who(context: dict) -> tuple[str, str]:
    """(namespace, user id): the workspace id, or the enterprise's id for an org-wide install on Enterprise Grid
    (whose user ids are unique across the org, so one person has one taste in every workspace of it)."""
    workspace = context.get("team_id") or ""
    if context.get("is_enterprise_install") and context.get("enterprise_id"):
        workspace = context["enterprise_id"]
    return workspace, context.get("user_id") or ""
