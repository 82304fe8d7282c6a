"""Old home of the scorecard latency measurement, now part of `ccmetrics.bench` (run it with
`python -m ccmetrics.bench scorecard`); this name goes once no test imports it from here."""

from ccmetrics.bench import Latency, measure_scorecard

__all__ = ["Latency", "measure_scorecard"]
