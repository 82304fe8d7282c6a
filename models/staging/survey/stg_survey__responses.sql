with

source as (

    select * from {{ source('survey', 'surveys') }}

),

latest_versions as (

    {{ ccm_latest_versions('source', 'survey_id', ['_loaded_at', '_source_row']) }}

),

renamed as (

    select
        cast(survey_id as string) as survey_id,
        cast(contact_id as string) as contact_id,
        cast(bot_session_id as string) as bot_session_id,
        cast(customer_id as string) as customer_id,
        cast(responded_at as timestamp) as responded_at,
        cast(csat_score as bigint) as csat_score,
        cast(nps_score as bigint) as nps_score
    from latest_versions

)

select * from renamed
