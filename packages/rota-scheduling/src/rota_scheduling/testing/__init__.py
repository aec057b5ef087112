"""Test helpers for sites built on rota-scheduling (needs the ``testing`` extra)."""
