"""What every service stands on: the context (database, clock, ids, settings, signing keys), the
journal (a SHA-256 hash chain of every state change), idempotency keys, the outbox of events and
webhook deliveries. Imports nothing from the ledger, parties or payments."""
