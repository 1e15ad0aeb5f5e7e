"""The states of background work (document jobs, kits) and of email delivery."""


class JobState:
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class EmailState:
    NONE = "none"
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
