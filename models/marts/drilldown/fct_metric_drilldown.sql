{{
    config(
        materialized=ccm_incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key=['period_grain', 'period_start'],
        on_schema_change='fail',
        meta={'incremental_tests_since': 'period_start'},
        pre_hook="{{ ccm_drilldown_clear_periods() }}"
    )
}}

{#- Each key metric per day and per week at center, team, agent and contact-reason level, with
    control limits and flags, so that a drop can be traced from the center to the team,
    agent or reason that caused it.

    Baseline (indirect standardisation): every member, the center included, is judged against
    what the CENTER achieved over its previous 4 periods of the same grain and type, within
    the 4 weeks before (weeks for week rows; for day rows the previous 4 days of its type,
    Monday, Tuesday to Friday, Saturday or Sunday: weekends are staffed and used differently,
    and Monday clears the weekend's written backlog, so such a day judged against other days
    was flagged for its type; a closed day has no center row and is skipped), re-weighted to
    the member's own mix in the current period: its contact reasons, or for
    cost_per_resolution its channels.
    Comparing with the same-period center instead flags a team whose reasons
    resolve less often by nature in every normal period, and lets one broken team drag the
    center down so that everybody else looks better than usual.
    - p_r = the center's numerator / denominator over the prior periods for stratum r (a
      reason; a channel for cost_per_resolution, whose events carry no reason and whose cost
      per resolution depends on the channel: a chat agent resolves several chats at once);
      events without a stratum, or with one the prior periods did not see, fall back to the
      center's overall rate over the prior periods;
    - expected_numerator = sum over r of the member's current denominator for r x p_r, and
      baseline_value = expected_numerator / the member's denominator. A reason row gets its
      own center history; the center row its history re-weighted to today's mix.
    Fewer than var drilldown_min_baseline_days earlier days of the type (the first two
    Mondays, Saturdays, ...), or no earlier week, means no limits and no flags. A lasting problem enters the daily baseline from its second
    day, so daily flags can fade
    while the weekly rows (baseline: the previous weeks) keep it in sight.
    Limits, Laney p'/u' charts: baseline +- 3 x dispersion_factor x sigma, n = the member's
    denominator, sigma the member's own sampling noise for the metric's type:
    - proportions (fcr_rate, service_level, csat): sqrt(baseline (1 - baseline) / n), limits
      clipped to [0, 1];
    - aht, a mean of durations: s / sqrt(n), s the standard deviation of single handle times
      of the center over the prior periods, all reasons pooled;
    - cost_per_resolution, a cost ratio, charted on its inverse: resolutions per unit of cost
      as Poisson counts with the cost as exposure, sqrt(u / cost), u = 1 / baseline_value,
      limits inverted (no upper limit when u - 3 x factor x sigma <= 0).
    dispersion_factor (Laney's sigma_z): members differ by more than sampling noise (agents'
    speed, channels, day-to-day swings), and limits that ignore it flag the same members every
    day. Every member of the level in every period of the dispersion window gets a z-score
    against the judged period's expected values; the factor is their sample standard deviation
    (members have no order, so not the moving-range estimate), floored at 1. The dispersion
    window is the baseline for weeks and the 7 previous calendar days (of every type) for
    days, a weekly cycle.
    Only complete periods are flagged: a day or week that the contact deliveries do not cover
    from start to end (the last reporting day is often a fragment, see fct_source_coverage)
    keeps its values and limits but no flag, since a partial day is not comparable with whole
    ones.
    Incremental by period: a run re-processes the days from ccm_drilldown_reprocess_from (the
    earliest event day int_metric_events_unioned re-computed) and the weeks that contain them,
    reading the events of the trailing_periods weeks before the earliest of those weeks, which
    is all that a period's baseline and dispersion window reach. -#}
{%- set trailing_periods = 4 -%}
{%- set dispersion_days = 7 -%}
{%- set day_of_week = (
    '((' ~ dbt.datediff("cast('1900-01-01' as date)", 'period_start', 'day') ~ ') % 7 + 7) % 7'
) -%}
{%- set proportion_metrics = "('fcr_rate', 'service_level', 'csat')" -%}
{%- set reprocess_from = ccm_drilldown_reprocess_from() -%}
with

events as (

    select
        metric_name,
        event_date,
        team_id,
        agent_id,
        contact_reason,
        {#- the stratum of the mix adjustment: cost events carry no reason, and what a resolution
            costs depends on its channel (a chat agent resolves several chats at once) -#}
        case
            when metric_name = 'cost_per_resolution' then channel
            else contact_reason
        end as mix_stratum,
        numerator,
        denominator,
        squared_numerator
    from {{ ref('int_metric_events_unioned') }}
    {% if reprocess_from is not none %}
        where event_date >= {{ dbt.dateadd('day', -7 * trailing_periods, ccm_week_start(reprocess_from)) }}
    {% endif %}

),

complete_days as (

    {{ ccm_drilldown_complete_days() }}

),

{# Every level sums its events per day, and the weeks sum those days: a week copy of every
    event unioned in before grouping made DuckDB store the events twice over, twice as long a
    build of this model at 10 M contacts. #}
day_member_sums as (

    {% for level, member in [
        ('center', "'center'"),
        ('team', 'team_id'),
        ('agent', 'agent_id'),
        ('contact_reason', 'contact_reason'),
    ] -%}
        select
            metric_name,
            event_date,
            '{{ level }}' as drilldown_level,
            {{ member }} as member_id,
            mix_stratum,
            sum(numerator) as numerator,
            sum(denominator) as denominator,
            sum(squared_numerator) as squared_numerator
        from events
        {% if member != "'center'" -%}
            where {{ member }} is not null
        {%- endif %}
        group by metric_name, event_date, {{ member }}, mix_stratum
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

member_stratum_sums as (

    select
        metric_name,
        'day' as period_grain,
        event_date as period_start,
        drilldown_level,
        member_id,
        mix_stratum,
        numerator,
        denominator,
        squared_numerator
    from day_member_sums
    union all
    select
        metric_name,
        'week' as period_grain,
        {{ ccm_week_start('event_date') }} as period_start,
        drilldown_level,
        member_id,
        mix_stratum,
        sum(numerator) as numerator,
        sum(denominator) as denominator,
        sum(squared_numerator) as squared_numerator
    from day_member_sums
    group by
        metric_name,
        {{ ccm_week_start('event_date') }},
        drilldown_level,
        member_id,
        mix_stratum

),

center_stratum_periods as (

    select
        metric_name,
        period_grain,
        period_start,
        mix_stratum,
        numerator,
        denominator,
        squared_numerator
    from member_stratum_sums
    where drilldown_level = 'center'

),

center_periods as (

    select
        metric_name,
        period_grain,
        period_start,
        {{ ccm_safe_divide('sum(numerator)', 'sum(denominator)') }} as center_value
    from center_stratum_periods
    group by metric_name, period_grain, period_start

),

center_period_types as (

    {#- a day's baseline holds days of its own type: Mondays (they clear the weekend's
        written backlog), Tuesday to Friday, Saturdays or Sundays (day_of_week counts the days
        since the Monday 1900-01-01, kept in 0..6 whatever sign an engine gives the
        remainder); weeks are all alike -#}
    select
        metric_name,
        period_grain,
        period_start,
        case
            when period_grain = 'week' then 'week'
            when {{ day_of_week }} = 0 then 'monday'
            when {{ day_of_week }} = 5 then 'saturday'
            when {{ day_of_week }} = 6 then 'sunday'
            else 'tuesday_to_friday'
        end as period_type
    from center_periods

),

prior_periods_ranked as (

    {#- each period with the center's periods of the trailing_periods weeks before it, those
        of its own type ranked latest first; a closed day has no center row and is skipped -#}
    select
        current_periods.metric_name,
        current_periods.period_grain,
        current_periods.period_start,
        prior_periods.period_start as prior_period_start,
        current_periods.period_type = prior_periods.period_type as is_same_type,
        row_number() over (
            partition by
                current_periods.metric_name,
                current_periods.period_grain,
                current_periods.period_start,
                prior_periods.period_type
            order by prior_periods.period_start desc
        ) as recency_rank,
        case
            when current_periods.period_grain = 'day'
                then {{ dbt.dateadd('day', -dispersion_days, 'current_periods.period_start') }}
            else {{ dbt.dateadd('day', -7 * trailing_periods, 'current_periods.period_start') }}
        end <= prior_periods.period_start as is_dispersion_period
    from center_period_types as current_periods
    inner join center_period_types as prior_periods
        on
            current_periods.metric_name = prior_periods.metric_name
            and current_periods.period_grain = prior_periods.period_grain
            and current_periods.period_start > prior_periods.period_start
            and {{ dbt.dateadd('day', -7 * trailing_periods, 'current_periods.period_start') }}
            <= prior_periods.period_start

),

prior_periods_counted as (

    select
        metric_name,
        period_grain,
        period_start,
        prior_period_start,
        is_same_type,
        recency_rank,
        is_dispersion_period,
        sum(case when is_same_type then 1 else 0 end) over (
            partition by metric_name, period_grain, period_start
        ) as same_type_periods
    from prior_periods_ranked

),

baseline_windows as (

    {#- each period with the center's periods of its baseline (the latest trailing_periods of
        its own type) and of its dispersion window (the calendar days or weeks before it).
        A day's baseline needs var drilldown_min_baseline_days days of its type: one day
        carries that day's own swings into every member's expectation (the second Saturday
        judged against the first alone); a week's baseline holds whole weeks. -#}
    select
        metric_name,
        period_grain,
        period_start,
        prior_period_start,
        is_same_type
        and recency_rank <= {{ trailing_periods }}
        and (
            period_grain = 'week'
            or same_type_periods >= {{ var('drilldown_min_baseline_days') }}
        ) as is_baseline_period,
        is_dispersion_period
    from prior_periods_counted
    where (is_same_type and recency_rank <= {{ trailing_periods }}) or is_dispersion_period

),

center_stratum_trailing as (

    select
        baseline_windows.metric_name,
        baseline_windows.period_grain,
        baseline_windows.period_start,
        center_stratum_periods.mix_stratum,
        sum(center_stratum_periods.numerator) as numerator,
        sum(center_stratum_periods.denominator) as denominator,
        sum(center_stratum_periods.squared_numerator) as squared_numerator
    from baseline_windows
    inner join center_stratum_periods
        on
            baseline_windows.metric_name = center_stratum_periods.metric_name
            and baseline_windows.period_grain = center_stratum_periods.period_grain
            and baseline_windows.prior_period_start = center_stratum_periods.period_start
    where baseline_windows.is_baseline_period
    group by
        baseline_windows.metric_name,
        baseline_windows.period_grain,
        baseline_windows.period_start,
        center_stratum_periods.mix_stratum

),

center_trailing_sums as (

    select
        metric_name,
        period_grain,
        period_start,
        sum(numerator) as numerator,
        sum(denominator) as denominator,
        sum(squared_numerator) as squared_numerator
    from center_stratum_trailing
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

stratum_rates as (

    select
        metric_name,
        period_grain,
        period_start,
        mix_stratum,
        {{ ccm_safe_divide('numerator', 'denominator') }} as stratum_rate
    from center_stratum_trailing
    where mix_stratum is not null

),

member_stratum_observations as (

    {#- the judged period's own sums, and the sums of each period of its baseline window, which
        are judged against the same expected rates to measure the members' dispersion -#}
    select
        metric_name,
        period_grain,
        period_start,
        period_start as observed_period_start,
        drilldown_level,
        member_id,
        mix_stratum,
        numerator,
        denominator
    from member_stratum_sums
    union all
    select
        baseline_windows.metric_name,
        baseline_windows.period_grain,
        baseline_windows.period_start,
        member_stratum_sums.period_start as observed_period_start,
        member_stratum_sums.drilldown_level,
        member_stratum_sums.member_id,
        member_stratum_sums.mix_stratum,
        member_stratum_sums.numerator,
        member_stratum_sums.denominator
    from baseline_windows
    inner join member_stratum_sums
        on
            baseline_windows.metric_name = member_stratum_sums.metric_name
            and baseline_windows.period_grain = member_stratum_sums.period_grain
            and baseline_windows.prior_period_start = member_stratum_sums.period_start
    where baseline_windows.is_dispersion_period

),

member_stratum_expected as (

    select
        member_stratum_observations.metric_name,
        member_stratum_observations.period_grain,
        member_stratum_observations.period_start,
        member_stratum_observations.observed_period_start,
        member_stratum_observations.drilldown_level,
        member_stratum_observations.member_id,
        member_stratum_observations.numerator,
        member_stratum_observations.denominator,
        member_stratum_observations.denominator
        * coalesce(stratum_rates.stratum_rate, center_trailing.overall_rate) as expected_numerator,
        case
            when stratum_rates.stratum_rate is not null
                then member_stratum_observations.denominator
            else 0
        end as stratum_matched_denominator
    from member_stratum_observations
    left join center_trailing
        on
            member_stratum_observations.metric_name = center_trailing.metric_name
            and member_stratum_observations.period_grain = center_trailing.period_grain
            and member_stratum_observations.period_start = center_trailing.period_start
    left join stratum_rates
        on
            member_stratum_observations.metric_name = stratum_rates.metric_name
            and member_stratum_observations.period_grain = stratum_rates.period_grain
            and member_stratum_observations.period_start = stratum_rates.period_start
            and member_stratum_observations.mix_stratum = stratum_rates.mix_stratum

),

member_sums as (

    select
        metric_name,
        period_grain,
        period_start,
        observed_period_start,
        drilldown_level,
        member_id,
        sum(numerator) as numerator,
        sum(denominator) as denominator,
        sum(expected_numerator) as expected_numerator,
        sum(stratum_matched_denominator) as stratum_matched_denominator
    from member_stratum_expected
    group by
        metric_name,
        period_grain,
        period_start,
        observed_period_start,
        drilldown_level,
        member_id

),

member_charts as (

    {#- the charted value, its baseline and its within-member sigma, on the scale the chart is
        drawn on: the value itself, except cost per resolution, charted as resolutions per unit
        of cost -#}
    select
        member_sums.metric_name,
        member_sums.period_grain,
        member_sums.period_start,
        member_sums.observed_period_start,
        member_sums.drilldown_level,
        member_sums.member_id,
        member_sums.numerator,
        member_sums.denominator,
        member_sums.expected_numerator,
        member_sums.stratum_matched_denominator,
        case
            when member_sums.metric_name = 'cost_per_resolution'
                then {{ ccm_safe_divide('member_sums.denominator', 'member_sums.numerator') }}
            else {{ ccm_safe_divide('member_sums.numerator', 'member_sums.denominator') }}
        end as charted_value,
        case
            when member_sums.metric_name = 'cost_per_resolution'
                then {{
                    ccm_safe_divide('member_sums.denominator', 'member_sums.expected_numerator')
                }}
            else {{ ccm_safe_divide('member_sums.expected_numerator', 'member_sums.denominator') }}
        end as charted_baseline,
        center_trailing.single_standard_deviation
    from member_sums
    left join center_trailing
        on
            member_sums.metric_name = center_trailing.metric_name
            and member_sums.period_grain = center_trailing.period_grain
            and member_sums.period_start = center_trailing.period_start

),

member_sigmas as (

    select
        metric_name,
        period_grain,
        period_start,
        observed_period_start,
        drilldown_level,
        member_id,
        numerator,
        denominator,
        expected_numerator,
        stratum_matched_denominator,
        charted_value,
        charted_baseline,
        case
            when charted_baseline is null or denominator is null or denominator <= 0 then null
            when metric_name in {{ proportion_metrics }}
                then sqrt(charted_baseline * (1 - charted_baseline) / denominator)
            when metric_name = 'aht'
                then single_standard_deviation / sqrt(denominator)
            when metric_name = 'cost_per_resolution' and numerator > 0
                then sqrt(charted_baseline / numerator)
        end as within_sigma
    from member_charts

),

member_z_scores as (

    select
        metric_name,
        period_grain,
        period_start,
        observed_period_start,
        drilldown_level,
        member_id,
        numerator,
        denominator,
        expected_numerator,
        stratum_matched_denominator,
        charted_baseline,
        within_sigma,
        (charted_value - charted_baseline) / nullif(within_sigma, 0) as z_score
    from member_sigmas

),

dispersion as (

    {#- Laney's sigma_z: the sample standard deviation of the level's z-scores over the baseline
        window (every member in every prior period, against the judged period's expected
        rates). It is floored at 1 so that members who vary less than chance (reason mixes
        make the p-chart wide) do not narrow the limits; fewer than 2 z-scores leave it at 1. -#}
    select
        metric_name,
        period_grain,
        period_start,
        drilldown_level,
        -- Rounded to 12 decimals: engines sum the squares in different orders and differ in
        -- the last bits, which must not move a published limit.
        round(greatest(coalesce({{ ccm_stddev_samp('z_score') }}, 1), 1), 12) as dispersion_factor
    from member_z_scores
    where observed_period_start < period_start
    group by metric_name, period_grain, period_start, drilldown_level

),

limits as (

    select
        member_z_scores.metric_name,
        member_z_scores.period_grain,
        member_z_scores.period_start,
        member_z_scores.drilldown_level,
        member_z_scores.member_id,
        member_z_scores.numerator,
        member_z_scores.denominator,
        {{ ccm_safe_divide('member_z_scores.numerator', 'member_z_scores.denominator') }}
            as metric_value,
        center_periods.center_value,
        member_z_scores.expected_numerator,
        case
            when member_z_scores.expected_numerator is null or member_z_scores.denominator = 0
                then null
            when member_z_scores.stratum_matched_denominator = 0 then 'center_overall'
            when member_z_scores.metric_name = 'cost_per_resolution' then 'center_channel_mix'
            else 'center_reason_mix'
        end as baseline_kind,
        {{ ccm_safe_divide('member_z_scores.expected_numerator', 'member_z_scores.denominator') }}
            as baseline_value,
        case
            when member_z_scores.charted_baseline is not null
                then coalesce(dispersion.dispersion_factor, 1)
        end as dispersion_factor,
        3 * coalesce(dispersion.dispersion_factor, 1) * member_z_scores.within_sigma
            as half_width,
        member_z_scores.charted_baseline
    from member_z_scores
    inner join center_periods
        on
            member_z_scores.metric_name = center_periods.metric_name
            and member_z_scores.period_grain = center_periods.period_grain
            and member_z_scores.period_start = center_periods.period_start
    left join dispersion
        on
            member_z_scores.metric_name = dispersion.metric_name
            and member_z_scores.period_grain = dispersion.period_grain
            and member_z_scores.period_start = dispersion.period_start
            and member_z_scores.drilldown_level = dispersion.drilldown_level
    where member_z_scores.observed_period_start = member_z_scores.period_start

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
        limits.dispersion_factor,
        {#- greatest and least skip nulls, so a missing sigma is tested for explicitly -#}
        case
            when limits.half_width is null then null
            when limits.metric_name = 'cost_per_resolution'
                then 1 / (limits.charted_baseline + limits.half_width)
            else greatest(limits.charted_baseline - limits.half_width, 0)
        end as lower_control_limit,
        case
            when limits.half_width is null then null
            when limits.metric_name = 'cost_per_resolution'
                then case
                    when limits.charted_baseline - limits.half_width > 0
                        then 1 / (limits.charted_baseline - limits.half_width)
                end
            when limits.metric_name in {{ proportion_metrics }}
                then least(limits.charted_baseline + limits.half_width, 1)
            else limits.charted_baseline + limits.half_width
        end as upper_control_limit,
        {{ ccm_is_complete_period(
            'limits.period_grain',
            'limits.period_start',
            'complete_days.first_complete_date',
            'complete_days.last_complete_date'
        ) }} as is_complete_period
    from limits
    cross join complete_days
    {% if reprocess_from is not none %}
        where {{ ccm_drilldown_is_reprocessed('limits.period_grain', 'limits.period_start', reprocess_from) }}
    {% endif %}

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
        cast(dispersion_factor as double) as dispersion_factor,
        cast(lower_control_limit as double) as lower_control_limit,
        cast(upper_control_limit as double) as upper_control_limit,
        cast(case when is_complete_period then metric_value < lower_control_limit end as boolean)
            as is_flagged_low,
        cast(case when is_complete_period then metric_value > upper_control_limit end as boolean)
            as is_flagged_high
    from limits_judged

)

select * from final
