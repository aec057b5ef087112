"""Shared API conventions of Rota Round (pagination, permissions, errors) and rota-core's API."""
