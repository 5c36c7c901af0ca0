"""The search app's periodic job: the vocabulary recounted exactly (see vocabulary.py)."""

from akhbar.core.scheduler import every
from akhbar.settings.env import env_int

from .vocabulary import relearn

# Seconds between exact recounts of the vocabulary; indexing keeps it current in between.
RELEARN_INTERVAL = env_int("AKHBAR_SEARCH_RELEARN_INTERVAL", 3600)


@every(seconds=RELEARN_INTERVAL, name="relearn_search_vocabulary")
def relearn_search_vocabulary() -> None:
    relearn()
