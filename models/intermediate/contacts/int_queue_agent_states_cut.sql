{#- Agent states (logged-in time) cut at the UTC interval boundaries they cross: one row per
    state and interval it touches, with the seconds of the state inside it. Each state meets
    only the buckets it touches (ccm_bucket_starts), not a spine of the whole history on two
    inequalities. interval_minutes divides an hour and reporting time zones are whole or half
    hours off UTC, so every UTC piece lies inside one reporting interval. A state that does
    not end after it starts has no paid time. -#}
{%- set interval_minutes = var('interval_minutes') | int -%}
with

agent_states as (

    select
        state_interval_id,
        agent_id,
        started_at,
        ended_at
    from {{ ref('stg_acd__agent_states') }}
    where ended_at > started_at

),

state_buckets as (

    select
        state_interval_id,
        agent_id,
        started_at,
        ended_at,
        {{ ccm_bucket_starts(
            dbt.dateadd(
                'minute',
                'cast(floor(extract(minute from started_at) / ' ~ interval_minutes ~ ') * '
                    ~ interval_minutes ~ ' as integer)',
                dbt.date_trunc('hour', 'started_at')
            ),
            'ended_at',
            interval_minutes
        ) }} as interval_start_utc
    from agent_states

),

state_pieces as (

    select
        state_interval_id,
        agent_id,
        ended_at as state_ended_at,
        interval_start_utc,
        {{ ccm_seconds_between(
            'greatest(started_at, interval_start_utc)',
            'least(ended_at, '
            ~ dbt.dateadd('minute', interval_minutes, 'interval_start_utc') ~ ')'
        ) }} as paid_seconds
    from state_buckets

)

select * from state_pieces
