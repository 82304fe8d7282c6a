"""The source quality guard: Great Expectations suites over every landing batch.

`rules` declares what each source must satisfy, `suites` turns the rules into GX expectation
suites, `reading` and `casting` turn a landing file into a typed DataFrame (through DuckDB),
`context_columns` adds what a row needs from the warehouse (known ids, the rated contact),
and `validation` runs the suites and turns their results into batch rejections and per-row
quarantine reasons, worded by `messages` with the row's own values. Great Expectations is
imported only by `gx_runtime` and `suites`, and only when a batch is validated.
"""
