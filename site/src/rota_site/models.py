"""No models: the module exists so the site receives post_migrate (it registers a periodic task)."""
