{{ config(materialized=ccm_staging_materialization('agent_states', by_batch_day=false)) }}

with

source as (

    select * from {{ source('acd', 'agent_states') }}

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
        cast(ended_at as timestamp) as ended_at
    from latest_versions

),

unioned as (

    {{ ccm_union_systems('agent_states', 'landing_renamed', [
        'state_interval_id',
        'agent_id',
        'state',
        'started_at',
        'ended_at',
    ]) }}

)

select * from unioned
