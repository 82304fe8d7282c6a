{#- Each key metric per day and per week at center, team, agent and contact-reason level, with
    control limits and flags, so that a drop can be traced from the center to the team,
    agent or reason that caused it.

    Baseline (indirect standardisation): every member, the center included, is judged against
    what the CENTER achieved over its previous 4 periods of the same grain (days for day
    rows, weeks for week rows), re-weighted to the member's own contact-reason mix in the
    current period. Comparing with the same-period center instead flags a team whose reasons
    resolve less often by nature in every normal period, and lets one broken team drag the
    center down so that everybody else looks better than usual.
    - p_r = the center's numerator / denominator over the prior periods for reason r; events
      without a reason, or with a reason the prior periods did not see, fall back to the
      center's overall rate over the prior periods;
    - expected_numerator = sum over r of the member's current denominator for r x p_r, and
      baseline_value = expected_numerator / the member's denominator. A reason row gets its
      own center history; the center row its history re-weighted to today's mix.
    No center data in the prior periods (the first period) means no limits and no flags. A
    lasting problem enters the daily baseline from its second day, so daily flags can fade
    while the weekly rows (baseline: the previous weeks) keep it in sight.
    Limits, 3 sigma, n = the member's denominator:
    - proportions (fcr_rate, service_level, csat): p-chart, baseline_value
      +- 3 sqrt(baseline_value (1 - baseline_value) / n), clipped to [0, 1]; a member whose
      reasons differ in rate varies less than this, so the band errs on the wide side;
    - aht: X-bar chart, baseline_value +- 3 s / sqrt(n), s the standard deviation of single
      handle times of the center over the prior periods, all reasons pooled (again wide);
    - cost_per_resolution: u-chart on its inverse, resolutions per unit of cost as Poisson
      counts with the cost as exposure: u +- 3 sqrt(u / cost), u = 1 / baseline_value, limits
      inverted (no upper limit when u - 3 sigma <= 0). Its events carry no reason (labor has
      none), so its baseline is the center's overall history.
    Only complete periods are flagged: a day or week that the contact deliveries do not cover
    from start to end (the last reporting day is often a fragment, see fct_source_coverage)
    keeps its values and limits but no flag, since a partial day is not comparable with whole
    ones. -#}
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

complete_days as (

    select
        max(first_complete_date) as first_complete_date,
        max(last_complete_date) as last_complete_date
    from {{ ref('fct_source_coverage') }}
    where source_name = 'contacts'

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
        {{ ccm_week_start('event_date') }} as period_start,
        team_id,
        agent_id,
        contact_reason,
        numerator,
        denominator,
        squared_numerator
    from events

),

member_reason_sums as (

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
            contact_reason,
            sum(numerator) as numerator,
            sum(denominator) as denominator,
            sum(squared_numerator) as squared_numerator
        from events_by_period
        {% if member != "'center'" -%}
            where {{ member }} is not null
        {%- endif %}
        group by metric_name, period_grain, period_start, {{ member }}, contact_reason
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

center_reason_periods as (

    select
        metric_name,
        period_grain,
        period_start,
        contact_reason,
        numerator,
        denominator,
        squared_numerator
    from member_reason_sums
    where drilldown_level = 'center'

),

center_periods as (

    select
        metric_name,
        period_grain,
        period_start,
        {{ ccm_safe_divide('sum(numerator)', 'sum(denominator)') }} as center_value
    from center_reason_periods
    group by metric_name, period_grain, period_start

),

center_reason_trailing as (

    select
        current_periods.metric_name,
        current_periods.period_grain,
        current_periods.period_start,
        prior_periods.contact_reason,
        sum(prior_periods.numerator) as numerator,
        sum(prior_periods.denominator) as denominator,
        sum(prior_periods.squared_numerator) as squared_numerator
    from center_periods as current_periods
    inner join center_reason_periods as prior_periods
        on
            current_periods.metric_name = prior_periods.metric_name
            and current_periods.period_grain = prior_periods.period_grain
            and current_periods.period_start > prior_periods.period_start
            and case
                when current_periods.period_grain = 'day'
                    then {{ dbt.dateadd('day', -trailing_periods, 'current_periods.period_start') }}
                else {{ dbt.dateadd('day', -7 * trailing_periods, 'current_periods.period_start') }}
            end <= prior_periods.period_start
    group by
        current_periods.metric_name,
        current_periods.period_grain,
        current_periods.period_start,
        prior_periods.contact_reason

),

center_trailing_sums as (

    select
        metric_name,
        period_grain,
        period_start,
        sum(numerator) as numerator,
        sum(denominator) as denominator,
        sum(squared_numerator) as squared_numerator
    from center_reason_trailing
    group by metric_name, period_grain, period_start

),

center_trailing as (

    select
        metric_name,
        period_grain,
        period_start,
        {{ ccm_safe_divide('numerator', 'denominator') }} as overall_rate,
        {#- single handle times: s^2 = (sum x^2 - n mean^2) / (n - 1), floored at 0 against
            rounding -#}
        case
            when denominator > 1
                then sqrt(
                    greatest(squared_numerator - numerator * numerator / denominator, 0)
                    / (denominator - 1)
                )
        end as single_standard_deviation
    from center_trailing_sums

),

reason_rates as (

    select
        metric_name,
        period_grain,
        period_start,
        contact_reason,
        {{ ccm_safe_divide('numerator', 'denominator') }} as reason_rate
    from center_reason_trailing
    where contact_reason is not null

),

member_reason_expected as (

    select
        member_reason_sums.metric_name,
        member_reason_sums.period_grain,
        member_reason_sums.period_start,
        member_reason_sums.drilldown_level,
        member_reason_sums.member_id,
        member_reason_sums.numerator,
        member_reason_sums.denominator,
        member_reason_sums.denominator
        * coalesce(reason_rates.reason_rate, center_trailing.overall_rate) as expected_numerator,
        case
            when reason_rates.reason_rate is not null then member_reason_sums.denominator else 0
        end as reason_matched_denominator
    from member_reason_sums
    left join center_trailing
        on
            member_reason_sums.metric_name = center_trailing.metric_name
            and member_reason_sums.period_grain = center_trailing.period_grain
            and member_reason_sums.period_start = center_trailing.period_start
    left join reason_rates
        on
            member_reason_sums.metric_name = reason_rates.metric_name
            and member_reason_sums.period_grain = reason_rates.period_grain
            and member_reason_sums.period_start = reason_rates.period_start
            and member_reason_sums.contact_reason = reason_rates.contact_reason

),

member_sums as (

    select
        metric_name,
        period_grain,
        period_start,
        drilldown_level,
        member_id,
        sum(numerator) as numerator,
        sum(denominator) as denominator,
        sum(expected_numerator) as expected_numerator,
        sum(reason_matched_denominator) as reason_matched_denominator
    from member_reason_expected
    group by metric_name, period_grain, period_start, drilldown_level, member_id

),

baseline_values as (

    select
        member_sums.metric_name,
        member_sums.period_grain,
        member_sums.period_start,
        member_sums.drilldown_level,
        member_sums.member_id,
        member_sums.numerator,
        member_sums.denominator,
        {{ ccm_safe_divide('member_sums.numerator', 'member_sums.denominator') }} as metric_value,
        center_periods.center_value,
        member_sums.expected_numerator,
        {{ ccm_safe_divide('member_sums.expected_numerator', 'member_sums.denominator') }}
            as baseline_value,
        {{ ccm_safe_divide('member_sums.denominator', 'member_sums.expected_numerator') }}
            as baseline_resolutions_per_cost,
        case
            when member_sums.expected_numerator is null or member_sums.denominator = 0 then null
            when member_sums.reason_matched_denominator > 0 then 'center_reason_mix'
            else 'center_overall'
        end as baseline_kind,
        center_trailing.single_standard_deviation
    from member_sums
    inner join center_periods
        on
            member_sums.metric_name = center_periods.metric_name
            and member_sums.period_grain = center_periods.period_grain
            and member_sums.period_start = center_periods.period_start
    left join center_trailing
        on
            member_sums.metric_name = center_trailing.metric_name
            and member_sums.period_grain = center_trailing.period_grain
            and member_sums.period_start = center_trailing.period_start

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
        expected_numerator,
        baseline_kind,
        baseline_value,
        baseline_resolutions_per_cost,
        case
            when baseline_value is null or denominator is null or denominator <= 0 then null
            when metric_name in {{ proportion_metrics }}
                then 3 * sqrt(baseline_value * (1 - baseline_value) / denominator)
            when metric_name = 'aht'
                then 3 * single_standard_deviation / sqrt(denominator)
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
        expected_numerator,
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

limits_judged as (

    select
        limits.metric_name,
        limits.period_grain,
        limits.period_start,
        limits.drilldown_level,
        limits.member_id,
        limits.numerator,
        limits.denominator,
        limits.metric_value,
        limits.center_value,
        limits.expected_numerator,
        limits.baseline_kind,
        limits.baseline_value,
        limits.lower_control_limit,
        limits.upper_control_limit,
        coalesce(
            limits.period_start >= complete_days.first_complete_date
            and case
                when limits.period_grain = 'day' then limits.period_start
                else {{ dbt.dateadd('day', 6, 'limits.period_start') }}
            end <= complete_days.last_complete_date,
            false
        ) as is_complete_period
    from limits
    cross join complete_days

),

final as (

    select
        cast(metric_name as string) as metric_name,
        cast(period_grain as string) as period_grain,
        cast(period_start as date) as period_start,
        cast(is_complete_period as boolean) as is_complete_period,
        cast(drilldown_level as string) as drilldown_level,
        cast(member_id as string) as member_id,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator,
        cast(metric_value as double) as metric_value,
        cast(center_value as double) as center_value,
        cast(baseline_kind as string) as baseline_kind,
        cast(expected_numerator as double) as expected_numerator,
        cast(baseline_value as double) as baseline_value,
        cast(lower_control_limit as double) as lower_control_limit,
        cast(upper_control_limit as double) as upper_control_limit,
        cast(case when is_complete_period then metric_value < lower_control_limit end as boolean)
            as is_flagged_low,
        cast(case when is_complete_period then metric_value > upper_control_limit end as boolean)
            as is_flagged_high
    from limits_judged

)

select * from final
