"""Rekenlogboek: logbook entries, instruction requests, evaluations, photos, notes."""
