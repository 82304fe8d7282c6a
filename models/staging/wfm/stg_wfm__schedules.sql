with

source as (

    select * from {{ source('wfm', 'schedules') }}

),

versions_ranked as (

    select
        *,
        row_number() over (
            partition by schedule_id
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
        cast(schedule_id as string) as schedule_id,
        cast(agent_id as string) as agent_id,
        cast(activity as string) as activity,
        cast(starts_at as timestamp) as starts_at,
        cast(ends_at as timestamp) as ends_at
    from latest_versions

)

select * from renamed
