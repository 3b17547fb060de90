"""Custom parts that Rasa loads by module path (endpoints.yml)."""
