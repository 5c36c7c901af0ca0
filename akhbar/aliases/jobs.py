"""The periodic proposal job (task worker)."""

from akhbar.core.scheduler import every

PROPOSAL_INTERVAL = 6 * 3600


@every(seconds=PROPOSAL_INTERVAL, name="propose_aliases")
def propose_aliases_job() -> int:
    from .proposals import propose_aliases

    return propose_aliases()
