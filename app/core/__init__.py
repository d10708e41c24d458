"""The small core every domain builds on: database, base model, transactions, jobs, storage, links, the stage
state machine and its follow-ups, staff identity and authorisation."""
