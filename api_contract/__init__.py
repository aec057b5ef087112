"""The API contract in the test suite: every /api/v1/ answer is checked against the schema.

``api_contract.responses`` is a pytest plugin, registered by the workspace's pyproject
(``-p api_contract.responses``): it generates the OpenAPI document once per session and
fails a test whose Django test client (or DRF APIClient) receives an answer the document
does not describe. See docs/api.md ("How the schema is kept true").
"""
