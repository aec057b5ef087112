"""Test helpers for sites and apps built on rota-core (needs the ``testing`` extra)."""
