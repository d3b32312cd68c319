"""Doelenboekje: strands, blocks, goals, rubrics and self-assessments."""
