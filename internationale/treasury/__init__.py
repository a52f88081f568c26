"""The solidarity budget: a rotating transnational treasury with an exact ledger."""
