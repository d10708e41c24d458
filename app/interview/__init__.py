"""The AI interview: invitations, the candidate flow, uploads, question clock, answer analysis, integrity,
playback, reports, result cards and the managers' decisions."""
