"""What the generator is asked to produce: options, and the summary it hands back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ccmetrics.generator.catalog import TEAMS

DEFAULT_START = dt.date(2026, 10, 1)


@dataclass(frozen=True)
class PlantedProblem:
    """A team whose handled contacts come back far more often for seven days."""

    team_id: str
    start: dt.date
    days: int = 7

    @classmethod
    def parse(cls, text: str) -> PlantedProblem:
        """Parse `TEAM:YYYY-MM-DD`."""
        team, sep, day = text.partition(":")
        if not sep or not team:
            raise ValueError(f"expected TEAM:YYYY-MM-DD, got {text!r}")
        teams = [t.team_id for t in TEAMS]
        if team not in teams:
            raise ValueError(f"unknown team {team!r}; teams: {', '.join(teams)}")
        return cls(team_id=team, start=dt.date.fromisoformat(day))

    def covers(self, team_id: str, day: dt.date) -> bool:
        return team_id == self.team_id and 0 <= (day - self.start).days < self.days


@dataclass(frozen=True)
class GeneratorConfig:
    days: int = 30
    start: dt.date = DEFAULT_START
    seed: int = 7
    scale: float = 1.0
    """Multiplier of contact and bot volumes (and, through sizing, of agents and customers)."""
    staffing_factor: float = 1.0
    """Multiplier of scheduled agents: 0.8 schedules 20% fewer agents than the plan needs."""
    planted_fcr_problem: PlantedProblem | None = None

    def __post_init__(self) -> None:
        if self.days < 1:
            raise ValueError("days must be at least 1")
        if self.scale <= 0:
            raise ValueError("scale must be positive")
        if self.staffing_factor <= 0:
            raise ValueError("staffing_factor must be positive")

    @property
    def end(self) -> dt.date:
        """First day after the generated period."""
        return self.start + dt.timedelta(days=self.days)

    def as_dict(self) -> dict[str, object]:
        return {
            "days": self.days,
            "start": self.start.isoformat(),
            "seed": self.seed,
            "scale": self.scale,
            "staffing_factor": self.staffing_factor,
            "planted_fcr_problem": (
                None
                if self.planted_fcr_problem is None
                else {
                    "team_id": self.planted_fcr_problem.team_id,
                    "start": self.planted_fcr_problem.start.isoformat(),
                    "days": self.planted_fcr_problem.days,
                }
            ),
        }


@dataclass
class GenerationSummary:
    """Rows written per source and day, and how long it took."""

    config: GeneratorConfig
    rows: dict[str, dict[str, int]] = field(default_factory=dict)
    seconds: float = 0.0

    def add(self, source_name: str, day: dt.date, count: int) -> None:
        per_day = self.rows.setdefault(source_name, {})
        per_day[day.isoformat()] = per_day.get(day.isoformat(), 0) + count

    def total(self, source_name: str | None = None) -> int:
        names = [source_name] if source_name else list(self.rows)
        return sum(sum(self.rows.get(name, {}).values()) for name in names)

    @property
    def rows_per_second(self) -> float:
        return self.total() / self.seconds if self.seconds > 0 else 0.0
