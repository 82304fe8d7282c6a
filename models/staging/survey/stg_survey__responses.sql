with

source as (

    select * from {{ source('survey', 'surveys') }}

),

versions_ranked as (

    select
        *,
        row_number() over (
            partition by survey_id
            order by _loaded_at desc, _source_row desc
        ) as version_rank
    from source

),

latest_versions as (

    select * from versions_ranked
    where version_rank = 1

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
