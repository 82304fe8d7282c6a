{#- Each key metric per day and per week at center, team, agent and contact-reason level, with
    control limits and flags, so that a drop can be traced from the center to the team,
    agent or reason that caused it.

    Baseline: a team, agent or reason is compared with the center in the same period (is it
    out of line with everyone else now?); the center itself with its own pooled value over
    the previous 4 periods of the same grain (did the whole center move?). The first
    periods have no center baseline.
    Limits, 3 sigma:
    - proportions (fcr_rate, service_level, csat): p-chart, p +- 3 sqrt(p (1 - p) / n), n
      the row's denominator, clipped to [0, 1];
    - aht: X-bar chart, mean +- 3 s / sqrt(n), s the standard deviation of single handle
      times in the baseline, n the row's handled contacts;
    - cost_per_resolution: u-chart on its inverse, resolutions per unit of cost, taking
      resolutions as Poisson counts with the cost as exposure: u +- 3 sqrt(u / cost), u the
      baseline's resolutions / cost; the limits are the inverses (no upper limit when
      u - 3 sigma <= 0). -#}
{%- set trailing_periods = 4 -%}
{%- set proportion_metrics = "('fcr_rate', 'service_level', 'csat')" -%}
with

events as (

    select
        metric_name,
        event_date,
        team_id,
        agent_id,
        contact_reason,
        numerator,
        denominator,
        squared_numerator
    from {{ ref('int_metric_events_unioned') }}

),

events_by_period as (

    select
        metric_name,
        'day' as period_grain,
        event_date as period_start,
        team_id,
        agent_id,
        contact_reason,
        numerator,
        denominator,
        squared_numerator
    from events
    union all
    select
        metric_name,
        'week' as period_grain,
        cast({{ dbt.date_trunc('week', 'event_date') }} as date) as period_start,
        team_id,
        agent_id,
        contact_reason,
        numerator,
        denominator,
        squared_numerator
    from events

),

level_sums as (

    {% for level, member in [
        ('center', "'center'"),
        ('team', 'team_id'),
        ('agent', 'agent_id'),
        ('contact_reason', 'contact_reason'),
    ] -%}
        select
            metric_name,
            period_grain,
            period_start,
            '{{ level }}' as drilldown_level,
            {{ member }} as member_id,
            sum(numerator) as numerator,
            sum(denominator) as denominator,
            sum(squared_numerator) as squared_numerator
        from events_by_period
        {% if member != "'center'" -%}
            where {{ member }} is not null
        {%- endif %}
        group by metric_name, period_grain, period_start, {{ member }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

observations as (

    select
        metric_name,
        period_grain,
        period_start,
        drilldown_level,
        member_id,
        numerator,
        denominator,
        squared_numerator,
        {{ ccm_safe_divide('numerator', 'denominator') }} as metric_value
    from level_sums

),

center_periods as (

    select
        metric_name,
        period_grain,
        period_start,
        numerator,
        denominator,
        squared_numerator,
        metric_value
    from observations
    where drilldown_level = 'center'

),

center_trailing as (

    select
        current_periods.metric_name,
        current_periods.period_grain,
        current_periods.period_start,
        sum(prior_periods.numerator) as numerator,
        sum(prior_periods.denominator) as denominator,
        sum(prior_periods.squared_numerator) as squared_numerator
    from center_periods as current_periods
    inner join center_periods as prior_periods
        on
            current_periods.metric_name = prior_periods.metric_name
            and current_periods.period_grain = prior_periods.period_grain
            and current_periods.period_start > prior_periods.period_start
            and case
                when current_periods.period_grain = 'day'
                    then {{ dbt.dateadd('day', -trailing_periods, 'current_periods.period_start') }}
                else {{ dbt.dateadd('day', -7 * trailing_periods, 'current_periods.period_start') }}
            end <= prior_periods.period_start
    group by current_periods.metric_name, current_periods.period_grain, current_periods.period_start

),

baselines as (

    select
        observations.metric_name,
        observations.period_grain,
        observations.period_start,
        observations.drilldown_level,
        observations.member_id,
        observations.numerator,
        observations.denominator,
        observations.metric_value,
        center_periods.metric_value as center_value,
        case
            when observations.drilldown_level = 'center' then 'center_previous_periods'
            else 'center_same_period'
        end as baseline_kind,
        case
            when observations.drilldown_level = 'center' then center_trailing.numerator
            else center_periods.numerator
        end as baseline_numerator,
        case
            when observations.drilldown_level = 'center' then center_trailing.denominator
            else center_periods.denominator
        end as baseline_denominator,
        case
            when observations.drilldown_level = 'center' then center_trailing.squared_numerator
            else center_periods.squared_numerator
        end as baseline_squared_numerator
    from observations
    inner join center_periods
        on
            observations.metric_name = center_periods.metric_name
            and observations.period_grain = center_periods.period_grain
            and observations.period_start = center_periods.period_start
    left join center_trailing
        on
            observations.metric_name = center_trailing.metric_name
            and observations.period_grain = center_trailing.period_grain
            and observations.period_start = center_trailing.period_start

),

baseline_values as (

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
        baseline_kind,
        baseline_denominator,
        baseline_squared_numerator,
        {{ ccm_safe_divide('baseline_numerator', 'baseline_denominator') }} as baseline_value,
        {{ ccm_safe_divide('baseline_denominator', 'baseline_numerator') }}
            as baseline_resolutions_per_cost
    from baselines

),

half_widths as (

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
        baseline_kind,
        baseline_value,
        baseline_resolutions_per_cost,
        case
            when baseline_value is null or denominator is null or denominator <= 0 then null
            when metric_name in {{ proportion_metrics }}
                then 3 * sqrt(baseline_value * (1 - baseline_value) / denominator)
            when metric_name = 'aht' and baseline_denominator > 1
                then 3 * sqrt(
                    greatest(
                        baseline_squared_numerator
                        - baseline_denominator * baseline_value * baseline_value,
                        0
                    ) / (baseline_denominator - 1)
                ) / sqrt(denominator)
            when metric_name = 'cost_per_resolution' and numerator > 0
                then 3 * sqrt(baseline_resolutions_per_cost / numerator)
        end as half_width
    from baseline_values

),

limits as (

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
        baseline_kind,
        baseline_value,
        {#- greatest and least skip nulls, so a missing baseline is tested for explicitly -#}
        case
            when half_width is null then null
            when metric_name = 'cost_per_resolution'
                then 1 / (baseline_resolutions_per_cost + half_width)
            else greatest(baseline_value - half_width, 0)
        end as lower_control_limit,
        case
            when half_width is null then null
            when metric_name = 'cost_per_resolution'
                then case
                    when baseline_resolutions_per_cost - half_width > 0
                        then 1 / (baseline_resolutions_per_cost - half_width)
                end
            when metric_name in {{ proportion_metrics }} then least(baseline_value + half_width, 1)
            else baseline_value + half_width
        end as upper_control_limit
    from half_widths

),

final as (

    select
        cast(metric_name as string) as metric_name,
        cast(period_grain as string) as period_grain,
        cast(period_start as date) as period_start,
        cast(drilldown_level as string) as drilldown_level,
        cast(member_id as string) as member_id,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator,
        cast(metric_value as double) as metric_value,
        cast(center_value as double) as center_value,
        cast(baseline_kind as string) as baseline_kind,
        cast(baseline_value as double) as baseline_value,
        cast(lower_control_limit as double) as lower_control_limit,
        cast(upper_control_limit as double) as upper_control_limit,
        cast(metric_value < lower_control_limit as boolean) as is_flagged_low,
        cast(metric_value > upper_control_limit as boolean) as is_flagged_high
    from limits

)

select * from final
