{#- QA score and fatal-error rate per reporting day (of the evaluation) for each agent and for
    the bot. Bot evaluations count only for sessions in the random sample
    (fct_bot_qa_sample): evaluations picked by hand tend to be the worst conversations and
    would bias the bot's score. -#}
with

evaluations as (

    select
        subject_type,
        agent_id,
        bot_session_id,
        reporting_date,
        score,
        fatal_errors
    from {{ ref('int_qa_evaluations_attributed') }}

),

bot_qa_sample as (

    select bot_session_id
    from {{ ref('fct_bot_qa_sample') }}

),

agents as (

    select
        agent_id,
        team_id
    from {{ ref('dim_agents') }}

),

subject_evaluations as (

    select
        'agent' as subject_type,
        evaluations.agent_id as subject_id,
        agents.team_id,
        evaluations.reporting_date,
        evaluations.score,
        evaluations.fatal_errors
    from evaluations
    left join agents
        on evaluations.agent_id = agents.agent_id
    where evaluations.subject_type = 'agent'
    union all
    select
        'bot' as subject_type,
        'bot' as subject_id,
        cast(null as string) as team_id,
        evaluations.reporting_date,
        evaluations.score,
        evaluations.fatal_errors
    from evaluations
    inner join bot_qa_sample
        on evaluations.bot_session_id = bot_qa_sample.bot_session_id
    where evaluations.subject_type = 'bot'

),

subject_days_scored as (

    select
        subject_type,
        subject_id,
        team_id,
        reporting_date,
        count(*) as evaluations,
        sum(score) as score_sum,
        sum(case when fatal_errors > 0 then 1 else 0 end) as fatal_error_evaluations
    from subject_evaluations
    group by subject_type, subject_id, team_id, reporting_date

),

final as (

    select
        cast(subject_type as string) as subject_type,
        cast(subject_id as string) as subject_id,
        cast(team_id as string) as team_id,
        cast(reporting_date as date) as reporting_date,
        cast(evaluations as bigint) as evaluations,
        cast(score_sum as double) as score_sum,
        cast({{ ccm_safe_divide('score_sum', 'evaluations') }} as double) as qa_score,
        cast(fatal_error_evaluations as bigint) as fatal_error_evaluations,
        cast(
            {{ ccm_safe_divide('fatal_error_evaluations', 'evaluations') }} as double
        ) as qa_fatal_error_rate
    from subject_days_scored

)

select * from final
