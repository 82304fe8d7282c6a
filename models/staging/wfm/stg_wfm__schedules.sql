{{ config(materialized=ccm_staging_materialization(), unique_key='schedule_id') }}

with

source as {{ ccm_cte_not_materialized() }} (

    select * from {{ source('wfm', 'schedules') }}
    {{ ccm_staging_changed_keys(source('wfm', 'schedules'), 'schedule_id') }}

),

latest_versions as (

    {{ ccm_latest_versions('source', 'schedule_id', ['_loaded_at', '_source_row']) }}

),

renamed as (

    select
        cast(schedule_id as string) as schedule_id,
        cast(agent_id as string) as agent_id,
        cast(activity as string) as activity,
        cast(starts_at as timestamp) as starts_at,
        cast(ends_at as timestamp) as ends_at,
        cast(_batch_date as date) as batch_date
    from latest_versions

)

select * from renamed
