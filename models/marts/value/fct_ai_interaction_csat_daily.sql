{#- CSAT over interactions AI handled: bot sessions (AI by definition) and contacts where an
    AI assistant helped the agent. rated_type stays a grain column so that bot and assisted
    CSAT can be read apart and summed back together. -#}
with

ai_responses as (

    select
        reporting_date,
        channel,
        rated_type,
        csat_score,
        is_csat_satisfied
    from {{ ref('int_survey_responses_attributed') }}
    where is_ai_interaction

),

channel_days as (

    select
        reporting_date,
        channel,
        rated_type,
        count(csat_score) as ai_csat_responses,
        count(case when is_csat_satisfied then 1 end) as ai_csat_satisfied_responses
    from ai_responses
    group by reporting_date, channel, rated_type

),

final as (

    select
        reporting_date,
        channel,
        rated_type,
        ai_csat_satisfied_responses,
        ai_csat_responses,
        {{ ccm_safe_divide('ai_csat_satisfied_responses', 'ai_csat_responses') }}
            as ai_interaction_csat
    from channel_days

)

select * from final
