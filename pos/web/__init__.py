"""Flask layer: the merchant terminal pages and the JSON API. Errors map to HTTP in one place."""
