{#- Survey metrics belong to the contact or bot session they rate, not to the day the customer
    answered: a survey answered on Tuesday about Monday's call is Monday's CSAT. -#}
with

survey_responses as (

    select
        survey_id,
        contact_id,
        bot_session_id,
        customer_id,
        responded_at,
        csat_score,
        nps_score
    from {{ ref('stg_survey__responses') }}

),

responses_joined as (

    select
        survey_responses.survey_id,
        survey_responses.customer_id,
        survey_responses.contact_id,
        survey_responses.bot_session_id,
        survey_responses.responded_at,
        survey_responses.csat_score,
        survey_responses.nps_score,
        case
            when survey_responses.contact_id is not null then 'contact'
            else 'bot_session'
        end as rated_type,
        {{ ccm_event_channel() }} as channel,
        coalesce(contacts.started_at, bot_sessions.started_at) as rated_started_at,
        -- a bot conversation is AI-handled by definition; a contact only when AI assisted
        coalesce(contacts.ai_assisted, bot_sessions.bot_session_id is not null)
            as is_ai_interaction
    from survey_responses
    {{ ccm_join_event_interactions('survey_responses') }}

),

responses_attributed as (

    select
        survey_id,
        customer_id,
        contact_id,
        bot_session_id,
        rated_type,
        channel,
        rated_started_at,
        {{ ccm_reporting_date('rated_started_at') }} as reporting_date,
        responded_at,
        is_ai_interaction,
        csat_score,
        nps_score,
        {{ ccm_is_csat_satisfied('csat_score') }} as is_csat_satisfied,
        case when csat_score is not null then csat_score <= 2 end as is_low_csat,
        case when nps_score is not null then nps_score >= 9 end as is_promoter,
        case when nps_score is not null then nps_score between 7 and 8 end as is_passive,
        case when nps_score is not null then nps_score <= 6 end as is_detractor
    from responses_joined
    -- a response whose rated contact or session never arrived cannot be attributed to a day
    -- or a channel; it is left out rather than guessed
    where rated_started_at is not null

)

select * from responses_attributed
