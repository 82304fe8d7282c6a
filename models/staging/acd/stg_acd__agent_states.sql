{{
    config(
        materialized=ccm_staging_materialization('agent_states'),
        unique_key='state_interval_id'
    )
}}

with

source as {{ ccm_cte_not_materialized() }} (

    select * from {{ source('acd', 'agent_states') }}
    {{ ccm_staging_changed_keys(source('acd', 'agent_states'), 'state_interval_id') }}

),

latest_versions as (

    {{ ccm_latest_versions('source', 'state_interval_id', ['_loaded_at', '_source_row']) }}

),

landing_renamed as (

    select
        cast(state_interval_id as string) as state_interval_id,
        cast(agent_id as string) as agent_id,
        cast(state as string) as state,
        cast(started_at as timestamp) as started_at,
        cast(ended_at as timestamp) as ended_at,
        cast(_batch_date as date) as batch_date
    from latest_versions

),

unioned as (

    {{ ccm_union_systems('agent_states', 'landing_renamed', [
        'state_interval_id',
        'agent_id',
        'state',
        'started_at',
        'ended_at',
        'batch_date',
    ], landing_dates=['batch_date']) }}

)

select * from unioned
