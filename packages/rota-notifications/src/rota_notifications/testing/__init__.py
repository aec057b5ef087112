"""Test helpers for sites that install rota-notifications (a scripted webhook receiver)."""
