"""The Streamlit side of the dashboard (moved from lne_data/ui.py; split into submodules in the next commit)."""

from .data import *  # noqa: F403
from .data import _shared_store, _throttle  # noqa: F401
