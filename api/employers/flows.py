"""Page assembly for employers: what an employer's page shows, gathered from the services of
the domains it spans (the employer, its roles and tasks, its needs, the pool's news of its
tasks) under the acting user's access rules. A flow returns data; the page renders it."""

from __future__ import annotations

from typing import Any

from api.core.context import Context
from api.core.security import Permission, allowed
from api.employers import network as employer_network
from api.employers import service as employers
from api.market import service as market
from features.schemas.employer import ContactChannel, NeedKind, NetworkStatus, Urgency

__all__ = ["employer_page"]


def employer_page(ctx: Context, employer_id: int) -> dict[str, Any]:
    """The employer with its CRM notes, roles and tasks, needs and network status, and — for
    those who may read the pool — what the latest batch run found for its tasks."""
    user, session = ctx.actor, ctx.session
    employer = employers.read_employer(session, employer_id)
    roles = employers.employer_roles(session, employer_id)
    needs = employer_network.list_needs(ctx, employer_id)
    pool = None
    if allowed(user.role, Permission.READ_MARKET):
        pool = market.employer_news(ctx, employer_id)
    return dict(employer=employer, employer_id=employer_id,
                roles=roles, channels=[c.value for c in ContactChannel], needs=needs,
                pool=pool, pool_of={n.task_id: n for n in pool.data} if pool else {},
                role_ids=employers.role_ids(session, employer_id),
                can_read_market=allowed(user.role, Permission.READ_MARKET),
                need_kinds=[k.value for k in NeedKind], urgencies=[u.value for u in Urgency],
                network_statuses=[s.value for s in NetworkStatus],
                can_write=allowed(user.role, Permission.WRITE_EMPLOYERS))  # fmt: skip
