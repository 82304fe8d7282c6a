{#- The weeks and months in which any agent was logged in or scheduled (reporting days of the
    agent states' and the schedules' starts): the periods workforce headcounts are reported
    for. Weeks start on var week_start (ccm_week_start). -#}
{%- set period_starts = [
    ('week', ccm_week_start('activity_date')),
    ('month', 'cast(' ~ dbt.date_trunc('month', 'activity_date') ~ ' as date)'),
] -%}
with

activity_days as (

    select distinct {{ ccm_reporting_date('started_at') }} as activity_date
    from {{ ref('stg_acd__agent_states') }}
    union
    select distinct {{ ccm_reporting_date('starts_at') }} as activity_date
    from {{ ref('stg_wfm__schedules') }}

),

periods as (

    {% for grain, period_start in period_starts -%}
        select distinct
            '{{ grain }}' as period_grain,
            {{ period_start }} as period_start,
            cast({{ dbt.dateadd('day', -1, dbt.dateadd(grain, 1, period_start)) }} as date)
                as period_end
        from activity_days
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from periods
