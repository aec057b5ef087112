"""Fault drills for Rota Round: real processes, a throwaway database, one injected fault each.

Each drill module has ``run(...) -> Report`` and a ``__main__`` (``uv run python -m
drills.worker_kill``). See drills/README.md for what each drill proves and the latest numbers.
"""

from .common import Report

__all__ = ["Report"]
