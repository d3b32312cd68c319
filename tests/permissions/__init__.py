"""Every endpoint, every persona: who gets data, who gets 403/404 (see matrix.py)."""
