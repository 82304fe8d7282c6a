{{ config(materialized=ccm_staging_materialization(), unique_key='survey_id') }}

with

source as {{ ccm_cte_not_materialized() }} (

    select * from {{ source('survey', 'surveys') }}
    {{ ccm_staging_changed_keys(source('survey', 'surveys'), 'survey_id') }}

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
        cast(nps_score as bigint) as nps_score,
        cast(_batch_date as date) as batch_date
    from latest_versions

)

select * from renamed
