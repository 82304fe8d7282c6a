with

source as (

    select * from {{ source('qa', 'qa_evaluations') }}

),

versions_ranked as (

    select
        *,
        row_number() over (
            partition by evaluation_id
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
        cast(evaluation_id as string) as evaluation_id,
        cast(contact_id as string) as contact_id,
        cast(bot_session_id as string) as bot_session_id,
        cast(agent_id as string) as agent_id,
        cast(evaluated_at as timestamp) as evaluated_at,
        cast(score as double) as score,
        cast(fatal_errors as bigint) as fatal_errors,
        cast(non_fatal_errors as bigint) as non_fatal_errors
    from latest_versions

)

select * from renamed
