"""Cooperation: a signed agreement circulated to its parties, who review, agree or ask
for changes online; versions, consents and the final documents on record (issue 16)."""
