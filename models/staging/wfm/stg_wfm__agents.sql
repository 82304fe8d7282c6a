{{ config(materialized=ccm_staging_materialization(), unique_key='agent_id') }}

with

source as {{ ccm_cte_not_materialized() }} (

    select * from {{ source('wfm', 'agents') }}
    {{ ccm_staging_changed_keys(source('wfm', 'agents'), 'agent_id') }}

),

latest_versions as (

    {{ ccm_latest_versions(
        'source', 'agent_id', ['record_updated_at', '_loaded_at', '_source_row']
    ) }}

),

renamed as (

    select
        cast(agent_id as string) as agent_id,
        cast(team_id as string) as team_id,
        cast(home_queue_id as string) as home_queue_id,
        cast(hire_date as date) as hire_date,
        cast(leave_date as date) as leave_date,
        cast(hourly_cost as double) as hourly_cost,
        cast(record_updated_at as timestamp) as record_updated_at,
        cast(_batch_date as date) as batch_date
    from latest_versions

)

select * from renamed
