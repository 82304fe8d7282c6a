with

source as (

    select * from {{ source('qa', 'qa_evaluations') }}

),

latest_versions as (

    {{ ccm_latest_versions('source', 'evaluation_id', ['_loaded_at', '_source_row']) }}

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
