{#- The bot conversations picked for quality evaluation: per week (weeks start on var
    week_start, see ccm_week_start), var bot_qa_sample_size
    sessions in a pseudo-random order that is reproducible (a hash of var bot_qa_sample_seed
    and the session id, identical on every engine), so that a rerun or another warehouse
    draws the same sample and a changed seed draws a new one. -#}
with

bot_sessions as (

    select
        bot_session_id,
        {{ ccm_week_start(ccm_reporting_date('started_at')) }} as sample_week,
        {{ dbt.hash(dbt.concat(["'" ~ var('bot_qa_sample_seed') ~ "'", 'bot_session_id'])) }}
            as sample_key
    from {{ ref('int_bot_sessions_resolution_judged') }}

),

evaluated_sessions as (

    select distinct bot_session_id
    from {{ ref('int_qa_evaluations_attributed') }}
    where bot_session_id is not null

),

sessions_ranked as (

    select
        bot_session_id,
        sample_week,
        sample_key,
        row_number() over (
            partition by sample_week
            order by sample_key, bot_session_id
        ) as sample_rank
    from bot_sessions

),

final as (

    select
        cast(sessions_ranked.bot_session_id as string) as bot_session_id,
        cast(sessions_ranked.sample_week as date) as sample_week,
        cast(sessions_ranked.sample_key as string) as sample_key,
        cast(sessions_ranked.sample_rank as bigint) as sample_rank,
        cast(evaluated_sessions.bot_session_id is not null as boolean) as is_evaluated
    from sessions_ranked
    left join evaluated_sessions
        on sessions_ranked.bot_session_id = evaluated_sessions.bot_session_id
    where sessions_ranked.sample_rank <= {{ var('bot_qa_sample_size') }}

)

select * from final
