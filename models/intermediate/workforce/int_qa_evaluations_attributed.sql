{#- One row per QA evaluation with its reporting day and its subject: the agent it names, else
    the bot when it names a bot session only. An evaluation naming neither has no subject. -#}
with

evaluations as (

    select
        evaluation_id,
        bot_session_id,
        agent_id,
        evaluated_at,
        score,
        fatal_errors
    from {{ ref('stg_qa__evaluations') }}

),

evaluations_attributed as (

    select
        evaluation_id,
        case
            when agent_id is not null then 'agent'
            when bot_session_id is not null then 'bot'
        end as subject_type,
        agent_id,
        bot_session_id,
        {{ ccm_reporting_date('evaluated_at') }} as reporting_date,
        score,
        fatal_errors
    from evaluations

)

select * from evaluations_attributed
