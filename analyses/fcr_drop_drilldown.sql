{#- FCR drop drill-down: where did first-contact resolution fall?

    How to use: dbt compile --select fcr_drop_drilldown --vars '{drilldown_period_start:
    "2026-03-02", drilldown_grain: week}' and run the SQL in target/compiled (or paste it in
    a DuckDB shell). Without vars it looks at the latest week. Read top-down: the center row
    says whether FCR moved against its previous periods; the team, agent and reason rows say
    who is out of line with what the center's history predicts for their own mix of contact
    reasons. resolutions_vs_expected is how many resolutions the member is short (negative)
    or ahead (positive) of that expectation, so the largest negative numbers explain the
    drop. -#}
{%- set grain = var('drilldown_grain', 'week') -%}
{%- set period_start = var('drilldown_period_start', none) -%}
{%- set period_expression = 'max(period_start)' if period_start is none
    else "cast('" ~ period_start ~ "' as date)" -%}
with

drilldown as (

    select
        metric_name,
        period_grain,
        period_start,
        drilldown_level,
        member_id,
        numerator,
        denominator,
        metric_value,
        center_value,
        expected_numerator,
        baseline_value,
        lower_control_limit,
        upper_control_limit,
        is_flagged_low,
        is_flagged_high
    from {{ ref('fct_metric_drilldown') }}
    where metric_name = 'fcr_rate' and period_grain = '{{ grain }}'

),

chosen_period as (

    select {{ period_expression }} as period_start
    from drilldown

),

period_rows as (

    select
        drilldown.drilldown_level,
        drilldown.member_id,
        drilldown.numerator as resolved_chains,
        drilldown.denominator as eligible_chains,
        drilldown.metric_value as fcr_rate,
        drilldown.center_value as center_fcr_rate,
        drilldown.baseline_value,
        drilldown.lower_control_limit,
        drilldown.upper_control_limit,
        drilldown.is_flagged_low,
        drilldown.is_flagged_high,
        drilldown.numerator - drilldown.expected_numerator as resolutions_vs_expected
    from drilldown
    inner join chosen_period
        on drilldown.period_start = chosen_period.period_start

)

select
    drilldown_level,
    member_id,
    resolved_chains,
    eligible_chains,
    fcr_rate,
    center_fcr_rate,
    baseline_value,
    lower_control_limit,
    upper_control_limit,
    is_flagged_low,
    is_flagged_high,
    resolutions_vs_expected
from period_rows
order by
    case drilldown_level
        when 'center' then 0
        when 'team' then 1
        when 'agent' then 2
        else 3
    end,
    resolutions_vs_expected
