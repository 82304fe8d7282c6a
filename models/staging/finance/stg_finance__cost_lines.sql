{{ config(materialized=ccm_staging_materialization(), unique_key='cost_line_id') }}

with

source as {{ ccm_cte_not_materialized() }} (

    select * from {{ source('finance', 'cost_lines') }}
    {{ ccm_staging_changed_keys(source('finance', 'cost_lines'), 'cost_line_id') }}

),

latest_versions as (

    {{ ccm_latest_versions('source', 'cost_line_id', ['_loaded_at', '_source_row']) }}

),

renamed as (

    select
        cast(cost_line_id as string) as cost_line_id,
        cast(cost_date as date) as cost_date,
        cast(category as string) as category,
        cast(channel as string) as channel,
        cast(amount as double) as amount,
        cast(_batch_date as date) as batch_date
    from latest_versions

)

select * from renamed
