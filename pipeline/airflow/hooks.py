"""Credentials for scanning a live database, kept in an Airflow connection instead of the DAG file.

The hook turns a connection (PostgreSQL, MySQL/MariaDB, SQLite, or the generic ``breachscan`` type with the
scheme in its extra) into the database URI ``run_scan`` reads. The password goes into the URI only; it is
registered with Airflow's secrets masker before the URI exists, and only the masked form (no password) is ever
logged, returned to XCom or put in a report.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from airflow.sdk import BaseHook

from pipeline.sources import mask_uri

# Airflow connection types -> the URI schemes pipeline.sources reads
SCHEMES = {
    "postgres": "postgresql",
    "postgresql": "postgresql",
    "mysql": "mysql",
    "mariadb": "mariadb",
    "sqlite": "sqlite",
}


class BreachScanDatabaseHook(BaseHook):
    """Builds the URI of a database to scan from an Airflow connection; never logs the password.

    :param breachscan_conn_id: the connection: type postgres / mysql / mariadb / sqlite, or type
        ``breachscan`` with ``{"scheme": "postgresql"}`` in its extra. ``schema`` is the database name
        (for SQLite, ``host`` is the database file).
    """

    conn_name_attr = "breachscan_conn_id"
    default_conn_name = "breachscan_default"
    conn_type = "breachscan"
    hook_name = "breachscan (database to scan)"

    def __init__(self, breachscan_conn_id: str = default_conn_name, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.breachscan_conn_id = breachscan_conn_id

    @classmethod
    def get_ui_field_behaviour(cls) -> dict[str, Any]:
        return {
            "hidden_fields": [],
            "relabeling": {"schema": "Database", "host": "Host (SQLite: database file)"},
            "placeholders": {"extra": '{"scheme": "postgresql"}'},
        }

    def get_uri(self) -> str:
        """The full URI, with the password: pass it to the scanner, never to a log line or XCom."""
        conn = self.get_connection(self.breachscan_conn_id)
        extra = conn.extra_dejson or {}
        kind = (conn.conn_type or "").lower()
        scheme = SCHEMES.get(str(extra.get("scheme", "")).lower() if kind == "breachscan" else kind)
        if scheme is None:
            raise ValueError(
                f"connection {self.breachscan_conn_id!r}: type {conn.conn_type!r} is not a database breachscan "
                f"reads (use one of {', '.join(sorted(SCHEMES))}, or type 'breachscan' with extra scheme)"
            )
        if scheme == "sqlite":
            path = conn.host or conn.schema
            if not path:
                raise ValueError(
                    f"connection {self.breachscan_conn_id!r}: SQLite needs the database file as host"
                )
            return "sqlite://" + quote(path, safe="/")  # an absolute path gives sqlite:///abs/file.db
        if conn.password:
            self._mask(conn.password)
        auth = ""
        if conn.login:
            auth = quote(conn.login, safe="")
            if conn.password:
                auth += ":" + quote(conn.password, safe="")
            auth += "@"
        host = conn.host or "localhost"
        port = f":{conn.port}" if conn.port else ""
        database = f"/{quote(conn.schema, safe='')}" if conn.schema else ""
        uri = f"{scheme}://{auth}{host}{port}{database}"
        if conn.password:
            self._mask(uri)  # the whole URI too: a library error message may quote it
        return uri

    def get_masked_uri(self) -> str:
        """The URI without the password, for logs and reports."""
        return mask_uri(self.get_uri())

    @staticmethod
    def _mask(secret: str) -> None:
        try:
            from airflow.sdk.log import mask_secret

            mask_secret(secret)
        except ImportError:  # pragma: no cover - older task SDKs: masking of connection fields still applies
            pass
