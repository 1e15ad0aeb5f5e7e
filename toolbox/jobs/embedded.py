"""The embedded broker: kombu's SQLAlchemy transport on an SQLite file, polled briskly.

kombu passes every transport option of this transport on to `create_engine`, so the
polling interval (1 s by default: too slow for "documents in a second") is set here.
"""

from kombu.transport.sqlalchemy import Transport as SQLAlchemyTransport

TRANSPORT = "toolbox.jobs.embedded:Transport"


class Transport(SQLAlchemyTransport):
    polling_interval = 0.1
