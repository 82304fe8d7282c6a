{{ config(materialized=ccm_staging_materialization(), unique_key='evaluation_id') }}

with

source as {{ ccm_cte_not_materialized() }} (

    select * from {{ source('qa', 'qa_evaluations') }}
    {{ ccm_staging_changed_keys(source('qa', 'qa_evaluations'), 'evaluation_id') }}

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
        cast(non_fatal_errors as bigint) as non_fatal_errors,
        cast(_batch_date as date) as batch_date
    from latest_versions

)

select * from renamed
