"""Usage events, consent, pseudonymised exports, design teams and interventions."""
