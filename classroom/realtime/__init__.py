"""The realtime layer: event shapes, group names, publishing after commit, consumers.

Consumers are added with the live dashboard and the planbord; the ASGI stack in
config/asgi.py already validates the Origin and authenticates by session.
"""
