"""The source quality guard: Great Expectations suites over every landing batch.

`rules` declares what each source must satisfy, `suites` turns the rules into expectations (as
data: the GX classes and their arguments), `reading` and `casting` turn a landing file into a
typed DataFrame (through DuckDB), `context_columns` adds what a row needs from the warehouse
(known ids, the rated contact), and `validation` runs the suites and turns their results into
batch rejections and per-row quarantine reasons, worded by `messages` with the row's own
values. `sql_runtime` runs the suites in DuckDB; `gx_runtime` runs them in Great Expectations,
which is imported only then (Data Docs asked for, `--docs-dir`).
"""
