with

survey_responses as (

    select
        reporting_date,
        channel,
        csat_score,
        nps_score,
        is_csat_satisfied,
        is_promoter,
        is_passive,
        is_detractor
    from {{ ref('int_survey_responses_attributed') }}

),

channel_days as (

    select
        reporting_date,
        channel,
        count(csat_score) as csat_responses,
        count(case when is_csat_satisfied then 1 end) as csat_satisfied_responses,
        count(nps_score) as nps_responses,
        count(case when is_promoter then 1 end) as nps_promoters,
        count(case when is_passive then 1 end) as nps_passives,
        count(case when is_detractor then 1 end) as nps_detractors
    from survey_responses
    group by reporting_date, channel

),

final as (

    select
        reporting_date,
        channel,
        csat_satisfied_responses,
        csat_responses,
        {{ ccm_safe_divide('csat_satisfied_responses', 'csat_responses') }} as csat,
        nps_promoters,
        nps_passives,
        nps_detractors,
        nps_responses,
        {{ ccm_safe_divide('nps_promoters', 'nps_responses') }} as nps_promoter_rate,
        {{ ccm_safe_divide('nps_detractors', 'nps_responses') }} as nps_detractor_rate,
        100 * {{ ccm_safe_divide('nps_promoters - nps_detractors', 'nps_responses') }} as nps
    from channel_days

)

select * from final
