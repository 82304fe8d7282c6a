"""Run a dbt command on a local Spark session (the `spark` target) that hashes PII like DuckDB.

dbt-spark's `session` method runs Spark inside the dbt process and takes the session that is
already active there. This entry point starts that session first, with the warehouse folder
and its Derby metastore (both under CCMETRICS_SPARK_WAREHOUSE, default warehouse/spark), and
registers `ccm_pii_hash` as a Python function holding the key read from the environment (the
same HMAC as `ccmetrics.pii_key` registers in DuckDB), so that neither the compiled SQL, nor
the views stored in the metastore, nor the session's configuration carry the key. With
CCMETRICS_SPARK_RAW set, it registers the raw tables exported there (`ccmetrics.spark_raw`).

    python -m ccmetrics.spark_session build --target spark --full-refresh
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ccmetrics.pii_hash import FUNCTION_NAME, KeyedHasher, read_key
from ccmetrics.spark_raw import RAW_ENV, register_raw

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

WAREHOUSE_ENV = "CCMETRICS_SPARK_WAREHOUSE"
DRIVER_MEMORY_ENV = "CCMETRICS_SPARK_DRIVER_MEMORY"


def spark_conf(environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """The session's settings: local, two cores, UTC, one warehouse folder per build."""
    warehouse = Path(environ.get(WAREHOUSE_ENV, "warehouse/spark")).resolve()
    return {
        "spark.master": "local[2]",
        "spark.driver.memory": environ.get(DRIVER_MEMORY_ENV, "4g"),
        "spark.sql.warehouse.dir": str(warehouse),
        "spark.hadoop.javax.jdo.option.ConnectionURL": (
            f"jdbc:derby:;databaseName={warehouse / 'metastore_db'};create=true"
        ),
        "spark.driver.extraJavaOptions": (
            f"-Dderby.system.home={warehouse} -Dderby.stream.error.file={warehouse / 'derby.log'}"
        ),
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.shuffle.partitions": "2",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
    }


def start_session(conf: Mapping[str, str], key: bytes) -> SparkSession:
    from pyspark.sql import SparkSession
    from pyspark.sql.types import StringType

    # Spark's Python workers must run this interpreter, which has ccmetrics installed.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.enableHiveSupport()
    for name, value in conf.items():
        builder = builder.config(name, value)
    session = builder.getOrCreate()
    # dbt reports what fails; Spark's own warnings (single-partition windows on small data)
    # would bury it.
    session.sparkContext.setLogLevel("ERROR")
    session.udf.register(FUNCTION_NAME, KeyedHasher(key), StringType())
    return session


def main(argv: Sequence[str] | None = None) -> int:
    from dbt.cli.main import dbtRunner

    key, warning = read_key()
    if warning:
        print(f"warning: {warning}", file=sys.stderr)
    session = start_session(spark_conf(), key)
    raw = os.environ.get(RAW_ENV)
    if raw:
        tables = register_raw(session, Path(raw))
        print(f"raw: {len(tables)} tables from {raw}", file=sys.stderr)
    try:
        result = dbtRunner().invoke(list(sys.argv[1:] if argv is None else argv))
    finally:
        session.stop()
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main())
