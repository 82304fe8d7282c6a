with

source as (

    select * from {{ source('acd', 'agent_states') }}

),

versions_ranked as (

    select
        *,
        row_number() over (
            partition by state_interval_id
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
        cast(state_interval_id as string) as state_interval_id,
        cast(agent_id as string) as agent_id,
        cast(state as string) as state,
        cast(started_at as timestamp) as started_at,
        cast(ended_at as timestamp) as ended_at
    from latest_versions

)

select * from renamed
